import tarn

@tarn.model()
@tarn.python("3.11")
def totals(x=tarn.Model("transactions")):
    return x
