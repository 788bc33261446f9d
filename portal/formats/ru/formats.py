"""Russian formats that differ from Django's; every other one is Django's.

A day of a month takes the month in the genitive: «16 августа». Django's Russian
``MONTH_DAY_FORMAT`` is "j F", the nominative («16 Август»), which the admin's date
drill-down shows. ``E`` is the month's genitive, as in Django's own ``DATE_FORMAT``.
"""

MONTH_DAY_FORMAT = "j E"
