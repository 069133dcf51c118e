"""Pricing rules for the demo shop."""
from dataclasses import dataclass

from .tax import tax_for

__all__ = ["Item", "total"]

DEFAULT_CURRENCY = "EUR"


@dataclass(frozen=True)
class Item:
    """One line of a basket."""

    name: str
    cents: int
    quantity: int = 1

    def subtotal(self) -> int:
        """Price of this line without tax."""
        return self.cents * self.quantity


def total(items: list[Item], *, country: str = "DE") -> int:
    """Sum of the basket including tax."""
    net = sum(item.subtotal() for item in items)
    return net + tax_for(net, country)
