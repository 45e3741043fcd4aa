"""Python models in Bauplan's style: typed parameters, declared columns, REPLACE and APPEND."""
import bauplan

EU = ["IT", "FR", "DE", "ES"]


@bauplan.model(columns=["country", "usd", "orders"], materialization_strategy="REPLACE",
               cache_strategy="DEFAULT")
@bauplan.python("3.11")
def country_totals(data=bauplan.Model("big_orders", columns=["usd", "country"]),
                   eu_only=bauplan.Parameter("eu_only")):
    """Sum and count of the big orders per country."""
    import pyarrow as pa
    import pyarrow.compute as pc

    assert isinstance(eu_only, bool), "eu_only arrived as %r" % type(eu_only).__name__
    if eu_only:
        data = data.filter(pc.is_in(data["country"], value_set=pa.array(EU)))
    totals = data.group_by("country").aggregate([("usd", "sum"), ("usd", "count")])
    return pa.table({"country": totals["country"], "usd": totals["usd_sum"], "orders": totals["usd_count"]})


@bauplan.model(columns=["label", "top_n", "min_usd", "eu_only", "countries", "leaders"],
               materialization_strategy="APPEND")
@bauplan.python("3.11", internet_access=False)
def run_log(totals=bauplan.Model("country_totals"),
            label=bauplan.Parameter("label"),
            top_n=bauplan.Parameter("top_n"),
            min_usd=bauplan.Parameter("min_usd"),
            eu_only=bauplan.Parameter("eu_only")):
    """One row per run, appended: the run's parameters (with their types) and its leading countries."""
    import pyarrow as pa

    assert isinstance(top_n, int) and isinstance(min_usd, float) and isinstance(label, str)
    ranked = totals.sort_by([("usd", "descending"), ("country", "ascending")])
    leaders = ",".join(ranked["country"].to_pylist()[:top_n])
    return pa.table({"label": [label], "top_n": [top_n], "min_usd": [min_usd], "eu_only": [eu_only],
                     "countries": [totals.num_rows], "leaders": [leaders]})
