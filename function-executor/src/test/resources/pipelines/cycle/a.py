import tarn

@tarn.model()
@tarn.python("3.11")
def alpha(x=tarn.Model("gamma")):
    return x

@tarn.model()
@tarn.python("3.11")
def beta(x=tarn.Model("alpha")):
    return x
