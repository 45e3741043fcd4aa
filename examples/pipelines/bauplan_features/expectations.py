"""Expectations built on bauplan.standard_expectations."""
import bauplan
from bauplan.standard_expectations import (
    expect_column_all_unique,
    expect_column_mean_greater_or_equal_than,
    expect_column_mean_smaller_or_equal_than,
    expect_column_no_nulls,
)


@bauplan.expectation()
@bauplan.python("3.11")
def one_row_per_country(data=bauplan.Model("country_totals")):
    return expect_column_all_unique(data, "country") and expect_column_no_nulls(data, "usd")


@bauplan.expectation()
@bauplan.python("3.11")
def orders_are_big_enough(data=bauplan.Model("big_orders"), min_usd=bauplan.Parameter("min_usd")):
    return expect_column_mean_greater_or_equal_than(data, "usd", min_usd)


@bauplan.expectation()
@bauplan.python("3.11")
def mean_order_is_plausible(data=bauplan.Model("big_orders"), max_mean_usd=bauplan.Parameter("max_mean_usd")):
    return expect_column_mean_smaller_or_equal_than(data, "usd", max_mean_usd)
