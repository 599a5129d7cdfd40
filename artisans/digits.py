"""Digits as people type them: Arabic phone keyboards type Arabic-Indic digits.

Prices, HS codes, searches and tracking numbers read them as the same numbers. It lives in
artisans, which catalog and marketplace may both import.
"""

# Arabic-Indic (٠١٢...) and Eastern Arabic-Indic (۰۱۲..., Persian keyboards) digits.
ASCII_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def ascii_digits(text: str) -> str:
    """Return text with its Arabic-Indic digits written 0-9: "٥٧٠١١٠" becomes "570110"."""
    return text.translate(ASCII_DIGITS)
