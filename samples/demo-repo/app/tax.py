"""Tax tables."""

RATES = {"DE": 19, "FR": 20}


def tax_for(cents: int, country: str) -> int:
    """Tax in cents for a net amount."""
    return cents * RATES.get(country, 0) // 100
