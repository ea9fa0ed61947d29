"""Fill kit forms with real PDF engines, as their viewers do (nobody here wrote them).

Every engine module offers the same function:

    fill(source: Path, target: Path, text: dict[str, str], choices: dict[str, str]) -> None

`text` maps a text field's name (`candidate`, `notes:<question-id>`, `takeaways`, ...) to
what the user types, line breaks included; `choices` maps a radio group's name
(`rating:<question-id>`, `category:<category-id>`, `recommendation`) to the export value
the user picks (`"3"`, `"na"`, `"strong-yes"`). The engine fills the form the way its
viewer does for a user and saves a copy to `target`. It raises AssertionError when a
named field or value is not in the form, so a test never passes on a silent no-op.
"""
