# Django's Arabic formats have no date-time ones, so dates with a time fell back to the
# American "N j, Y, P". These follow its Arabic DATE_FORMAT and SHORT_DATE_FORMAT, on a 24-hour
# clock as in Morocco; the rest still comes from Django.
DATETIME_FORMAT = "j F، Y، H:i"
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y H:i"
