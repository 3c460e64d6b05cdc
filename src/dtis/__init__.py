"""dtis — the Digital Transformation Index (Chỉ số chuyển đổi số) system."""

__version__ = "0.1.0"
