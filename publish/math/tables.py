"""Tables of math in words, row by row: matrices ("the 2 by 2 matrix; row 1: 1, 2; row 2: 3,
4"), cases ("2 cases: 0 if x is less than 0; 1 otherwise") and aligned equations. Each gets its
rows as the words of their cells."""

from __future__ import annotations

from publish.math.words import Words


def aligned(rows: list[list[str]]) -> str:
    """Aligned equations: a row's cells are one equation ("a", "= b + c"), rows a pause apart."""
    spoken_rows = [" ".join(c for c in row if c) for row in rows]
    return "; ".join(r for r in spoken_rows if r)


def matrix(rows: list[list[str]], words: Words, *, determinant: bool = False) -> str:
    height = len(rows)
    width = max((len(r) for r in rows), default=0)
    cells = [[c or words["empty"] for c in row] + [words["empty"]] * (width - len(row)) for row in rows]
    if not determinant and width == 1 and height > 1:
        return f"{words['column vector']}: {'; '.join(r[0] for r in cells)}, {words['end matrix']},"
    if not determinant and height == 1 and width > 1:
        return f"{words['row vector']}: {', '.join(cells[0])}, {words['end matrix']},"
    head = words.say("determinant" if determinant else "matrix", str(height), str(width))
    body = "; ".join(f"{words.say('row', str(k))}: {', '.join(r)}" for k, r in enumerate(cells, start=1))
    return f"{head}; {body}, {words['end matrix']},"


def cases(rows: list[list[str]], words: Words, *, has_text: bool) -> str:
    """Each value with its condition. One column without words is a list of values (as in
    ``\\min\\begin{cases}a\\\\b\\end{cases}``); with words it is cases whose conditions are written
    in them ("1, if centroid")."""
    width = max((len(r) for r in rows), default=0)
    if width <= 1 and not has_text:
        values = "; ".join(r[0] for r in rows if r)
        return f"{words.say('values', str(len(rows)))}: {values}"
    spoken_rows: list[str] = []
    for row in rows:
        value = row[0] if row else ""
        condition = " ".join(c for c in row[1:] if c)
        if not condition:
            spoken_rows.append(value)
        elif condition.lower().startswith(words.condition_words):
            spoken_rows.append(f"{value} {condition}")
        else:
            spoken_rows.append(words.say("if", value, condition))
    # A pause before, as after "equals": "f of x equals, 2 cases: ...".
    return f", {words.say('cases', str(len(rows)))}: {'; '.join(spoken_rows)}"
