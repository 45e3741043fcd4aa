import tarn

@tarn.model()
@tarn.python("3.11", pip={"polars": "1.33.0"})
def euro_selection(data=tarn.Model("transactions",
                                   columns=["id", "usd", "country"],
                                   filter="eventTime BETWEEN '2023-01-01' AND '2023-02-01'")):
    import polars as pl
    return pl.from_arrow(data).filter(pl.col("country").is_in(["IT", "FR", "DE", "ES"]))

@tarn.model(materialize=True)
@tarn.python("3.11", pip={"polars": "1.33.0"})
def usd_by_country(data=tarn.Model("euro_selection")):
    import polars as pl
    return pl.from_arrow(data).group_by("country").agg(pl.col("usd").sum())
