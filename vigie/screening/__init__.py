"""Name screening: match names of people against the listed persons, in any script.

The engine (`vigie.screening.engine`) is plain Python and never imports Django, so that it
works on plain records as well as inside the app. Usage: docs/screening.md; design:
docs/adr/0002-screening-engine.md.
"""
