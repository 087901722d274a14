"""The raw baseline for bench/compare.py and bench/results_day.py: examdesk's work for a few
requests (its SQL, its token lookup and role checks, its writes, its JSON) in a plain Starlette
app, to measure what examdesk's layers cost on top. See raw/app.py."""
