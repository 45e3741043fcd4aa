import tarn

@tarn.model()
@tarn.python("3.11")
def reader(x=tarn.Model("no_such_table")):
    return x
