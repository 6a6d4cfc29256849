"""Consumption tax by rate (storefront/tax.py): once per rate per order, rounded down, on what was paid."""
from storefront.tax import RatePart, breakdown, discount_shares, tax_within


def test_the_issue_examples_tea_at_8_and_teaware_with_shipping_at_10():
    parts = breakdown([(8, 1620), (10, 3960)], shipping_fee=500)
    assert parts == [RatePart(8, 1620, 120), RatePart(10, 4460, 405)]
    assert parts[0].reduced and not parts[1].reduced


def test_the_tax_is_rounded_once_per_rate_not_per_line():
    # Three lines of 1,050円 at 8 %: per line 77 × 3 = 231円; per rate floor(3,150 × 8 / 108) = 233円.
    assert breakdown([(8, 1050), (8, 1050), (8, 1050)]) == [RatePart(8, 3150, 233)]
    assert 3 * tax_within(1050, 8) == 231


def test_shipping_is_at_the_standard_rate_even_for_a_cart_of_tea():
    assert breakdown([(8, 1080)], shipping_fee=500) == [RatePart(8, 1080, 80), RatePart(10, 500, 45)]


def test_a_discount_is_shared_by_the_rates_amounts_and_the_parts_still_add_up_to_what_was_paid():
    parts = breakdown([(8, 1620), (10, 3960)], shipping_fee=500, discount=1001)
    assert sum(part.amount for part in parts) == 1620 + 3960 + 500 - 1001
    assert discount_shares({8: 1620, 10: 4460}, 1001) == {8: 266, 10: 735}
    assert parts == [RatePart(8, 1354, 100), RatePart(10, 3725, 338)]


def test_nothing_in_a_rate_means_no_part_for_it():
    assert breakdown([]) == [] and breakdown([(10, 2750)]) == [RatePart(10, 2750, 250)]
