import tarn

@tarn.model()
def by_country(data=tarn.Model("transactions"), c=tarn.Parameter("country"), m=tarn.Parameter("month")):
    return data

@tarn.expectation()
@tarn.python("3.11", pip={"pandas": "2.2.3"})
def not_empty(data=tarn.Model("by_country")):
    return data.num_rows > 0
