import tarn

@tarn.model()
def scored(recent=tarn.Model("recent", columns=["id", "usd"]), rates=tarn.Model("fx_rates")):
    return recent
