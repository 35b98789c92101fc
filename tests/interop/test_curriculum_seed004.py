"""Seed 004's plan table exactly as its author wrote it (a copy of the post's table, embedded
here: tests never read /work/shared): provider rows in backticks (`Fastai`, `MIT`…) with the
courses under them written as list lines (`- 18.06 Linear Algebra | 0.7 |`), footnote links in
the titles, costs in emphasis. Every course and the resource are items (13), each provider row
the track of the rows under it; the points and costs add up to the table's own Total row."""

from __future__ import annotations

from deskwork.interop.curriculum import items_from_file, items_from_markdown
from tests.helpers import T0

# From the post "Zero to Deep learning" (seed 004), section "The Plan", as written (trailing
# blanks aside: the second test puts them back).
SEED004_PLAN = """\
### Machine Learning and Deep learning

| `Course/Book`   | FTE   | Cost |
| :-- | --- | ---
| `Fastai`   |  |
- Practical Deep Learning for Coders Part 1 (2019) | 1.5 |
- Deep Learning Part 2 (2019) | 1.5 |
| `Deeplearning.ai`   |  |
- Deep learning specialization[<sup>1</sup>](#ref_1) | 0.5 | *$45*
| `Jeremy Khun`   |  |
- Programmers Introduction to Mathematics Book [<sup>2</sup>](#ref_2) | 0.5 |
| `MIT`   |  |
- XXXX Single Variable Calculus | 0.2 |
- 18.02 Multivariable Calculus| 0.4 |
- 18.06 Linear Algebra | 0.7 |
- 18.065 Matrix Methods in Data analysis, signal processing and machine learning | 0.7 |
| `3Blue1Brown`   |  |
- Essence of Linear Algebra & Calculus | 0.5 |
| `Khan Academy`   |  |
- Linear Algebra & Calculus | 0.3 |
| `Udemy`   |  |
- Swift - iOS app development [<sup>3</sup>](#ref_3) | 0.3 | $11
- Python for data science and machine learning [<sup>4</sup>](#ref_4) | 0.3 | $11
|  |  . |
| `Resources` |   |
| GPU server instance  - AWS p2 instance <200 hours[<sup>5</sup>](#ref_5) |  | ~$300
|  |  . |
|  |  .|
| Total | 7.4 | ~$367
"""

EXPECTED = [
    ("Practical Deep Learning for Coders Part 1 (2019)", "Fastai", 1.5, 0),
    ("Deep Learning Part 2 (2019)", "Fastai", 1.5, 0),
    ("Deep learning specialization", "Deeplearning.ai", 0.5, 45),
    ("Programmers Introduction to Mathematics Book", "Jeremy Khun", 0.5, 0),
    ("XXXX Single Variable Calculus", "MIT", 0.2, 0),
    ("18.02 Multivariable Calculus", "MIT", 0.4, 0),
    ("18.06 Linear Algebra", "MIT", 0.7, 0),
    (
        "18.065 Matrix Methods in Data analysis, signal processing and machine learning",
        "MIT",
        0.7,
        0,
    ),
    ("Essence of Linear Algebra & Calculus", "3Blue1Brown", 0.5, 0),
    ("Linear Algebra & Calculus", "Khan Academy", 0.3, 0),
    ("Swift - iOS app development", "Udemy", 0.3, 11),
    ("Python for data science and machine learning", "Udemy", 0.3, 11),
    ("GPU server instance - AWS p2 instance <200 hours", "Resources", 0, 300),
]


def test_every_row_of_seed_004s_plan_is_an_item() -> None:
    items = items_from_markdown(SEED004_PLAN, "plan.md", T0)
    assert [(i.title, i.track, i.effort_points, i.cost) for i in items] == EXPECTED
    assert round(sum(i.effort_points for i in items), 2) == 7.4, "the table's Total row"
    assert sum(i.cost for i in items) == 367 and {i.currency for i in items} == {"USD"}


def test_trailing_blanks_as_pasted_and_the_whole_post_as_a_file() -> None:
    pasted = "\n".join(line + "  " for line in SEED004_PLAN.splitlines())
    post = "# Zero to Deep learning\n\nI am embarking on a project.\n\n" + pasted + "\n\n----\n"
    items = items_from_file(post, "3months-to-deep-learning.md", T0)
    assert [(i.title, i.track, i.effort_points, i.cost) for i in items] == EXPECTED
    as_text = items_from_file(post, "004.txt", T0)  # the post saved as text: its table still
    assert [i.title for i in as_text] == [e[0] for e in EXPECTED]
