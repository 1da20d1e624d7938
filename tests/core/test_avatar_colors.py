"""Avatar backgrounds keep their white initials readable (WCAG AA, 4.5:1) for every name."""

from __future__ import annotations

from puente.core.templatetags.puente import _luminance, _shade, avatar_color, hue


def contrast_with_white(color: str) -> float:
    rgb = tuple(int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 1.05 / (_luminance(rgb) + 0.05)  # type: ignore[arg-type]


def test_every_hue_gives_white_initials_a_contrast_of_at_least_4_5() -> None:
    ratios = [contrast_with_white(_shade(degrees)) for degrees in range(360)]
    assert min(ratios) >= 4.5
    # Still colours, not all one dark grey: blues stay lighter than yellows.
    assert len({_shade(degrees) for degrees in range(360)}) > 200


def test_a_name_keeps_its_colour() -> None:
    assert avatar_color("Lucía Henao") == avatar_color("Lucía Henao") == _shade(hue("Lucía Henao"))
    assert avatar_color("Lucía Henao") != avatar_color("Kevin Álvarez")
    assert contrast_with_white(avatar_color("")) >= 4.5


def test_luminance_matches_the_wcag_reference_values() -> None:
    assert _luminance((1.0, 1.0, 1.0)) == 1.0
    assert _luminance((0.0, 0.0, 0.0)) == 0.0
    # #767676 is the lightest grey with 4.5:1 on white.
    assert round(contrast_with_white("#767676"), 2) == 4.54
