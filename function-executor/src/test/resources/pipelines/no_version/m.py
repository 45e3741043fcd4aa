import tarn

@tarn.model()
def unversioned(data=tarn.Model("transactions")):
    return data
