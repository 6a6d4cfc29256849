"""Yen formatting. Amounts are ints of yen, so there is nothing to round."""


def yen(amount: int) -> str:
    return f"¥{amount:,}"
