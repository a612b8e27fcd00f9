"""Stage 1, the plans: the plan file format, strict YAML, finding and merging plans, and the plan rules.

``model`` the pydantic models of a plan file; ``yamlsafe`` strict YAML with the
line of every key; ``rules`` what needs the whole plan (operators against
direction, years against the period); ``catalog`` where plans are found and how
``extends`` merges them; ``cache`` plans validated once, kept by the SHA-256 of
their bytes; ``assign`` which plan each unit of the data falls
under; ``areas`` a plan's area as the unit registry knows it and the official
names it lists; ``listing`` the targets as plain rows. Imports nothing from the
other stages (the unit registry is no stage).
"""
