"""Demo data for `manage.py seed_demo`: texts, generated pictures and the seeding itself."""
