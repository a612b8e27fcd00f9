"""Stage 4, what people and machines read: the report, its labels and every output format.

``report`` what every format renders, and ``keep`` what it holds of a run too
large to hold whole (an outline of every result, the rows it lists); ``labels`` words, numbers and names in
Vietnamese or English; ``style`` the colour of each status; ``terminal`` colour
and width; ``output`` atomic writing; ``formats/`` one module per output format
behind one registry, the text of their cells in ``cells`` and the page's SVG
charts in ``chart``; ``layout`` how the report was asked to be laid out;
``targets_table``, ``units_table`` and ``template`` the ``targets``, ``units``
and ``template`` commands' output; ``errors_section`` the files set aside,
which every report leads with; ``strict_json`` JSON without ``NaN`` or
``Infinity``.
"""
