"""Stage 4, what people and machines read: the report, its labels and every output format.

``report`` what every format renders; ``labels`` words, numbers and names in
Vietnamese or English; ``style`` the colour of each status; ``terminal`` colour
and width; ``output`` atomic writing; ``formats/`` one module per output format
behind one registry; ``targets_table`` and ``template`` the ``targets`` and
``template`` commands' output.
"""
