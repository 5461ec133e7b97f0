"""The simulator meets the issue's targets in a fast configuration (one county, four
weeks after eight of warm-up): every planted situation found, hotspots within three
days, at most one false alert per 1,000 background cases."""

import pytest

from fengqiao.warning import simulator
from fengqiao.warning.choices import AlertKind
from fengqiao.warning.models import Alert

pytestmark = pytest.mark.django_db


def test_planted_situations_are_found_quickly_and_the_background_stays_quiet() -> None:
    config = simulator.Config(seed=1, days=28, warmup=56, area=510129000000, scale=1.5)
    report = simulator.simulate(config)
    assert report.background > 400
    assert {s.kind for s in report.situations} == {"hotspot", "repeat", "mass"}
    assert report.detection_rate == 1.0, report.lines()
    hotspot_delay = report.median_delay("hotspot")
    assert hotspot_delay is not None and hotspot_delay <= 3, report.lines()
    assert report.false_per_1000 <= 1.0, report.false_alerts
    assert report.meets_targets
    # one alert per situation, grown as it grew
    for situation in report.situations:
        assert situation.alert_id is not None
        alert = Alert.objects.get(pk=situation.alert_id)
        assert (
            alert.kind
            == {
                "hotspot": AlertKind.HOTSPOT,
                "repeat": AlertKind.REPEAT_DISPUTE,
                "mass": AlertKind.MASS_DISPUTE,
            }[situation.kind]
        )
    alert_of = {s.kind: Alert.objects.get(pk=s.alert_id or 0) for s in report.situations}
    assert alert_of["repeat"].evidence["count"] == 3
    assert Alert.objects.filter(kind=AlertKind.MASS_DISPUTE, key=alert_of["mass"].key).count() == 1
