"""The pure scoring core: how figures become points, indices, ranks and bands.

Plain dataclasses and Decimal arithmetic, no Django and no I/O, so that the
rules can be read in one sitting and property-tested. Apps feed it framework
trees and figures and store what it returns.

Rounding (documented contract):
- a leaf's points are clamped to [0, max] and rounded to 2 decimals, half up;
- a parent's points are the exact sum of its children's rounded points;
- an index value is points / max rounded to 4 decimals, half up.
"""
