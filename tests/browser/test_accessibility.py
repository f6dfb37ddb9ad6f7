"""axe-core (vendored from the npm registry, version in vendor/axe.min.js) on the main pages:
any serious or critical violation fails, with the rule, the page and the offending elements printed.

The site's CSP forbids inline scripts, so axe is evaluated through the DevTools protocol
(page.evaluate), which CSP does not block, rather than injected as a <script> tag."""

from pathlib import Path

import pytest
from django.core.management import call_command

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")


def _axe(page) -> list[dict]:
    page.evaluate(AXE)
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.html.slice(0, 160))}));
    }""")
    return result


def _contest_slug():
    from contest.models import Contest

    contest = Contest.objects.order_by("pk").first()
    return contest.slug if contest else None


def test_main_pages_have_no_serious_axe_violations(live_server, page):
    call_command("load_demo_campaign", stdout=open("/dev/null", "w"))  # noqa: SIM115
    base = live_server.url
    slug = _contest_slug()
    # (who, path) — None = anonymous
    pages = [
        (None, "/"),
        (None, "/accounts/login/"),
        (None, f"/contest/{slug}/" if slug else "/contest/"),
        ("cdcs.trauquy@demo.cchc.vn", "/me/"),
        ("cdcs.trauquy@demo.cchc.vn", "/units/HN-LDLD-GIALAM-0001/"),
        ("cdcs.trauquy@demo.cchc.vn", "/reports/"),
        ("canbo.gialam@demo.cchc.vn", "/directives/inbox/"),
        ("canbo.gialam@demo.cchc.vn", "/directives/register/"),
        ("canbo.gialam@demo.cchc.vn", "/directives/incoming/"),
    ]
    from contest.enums import StaffRole
    from contest.models import ContestStaff

    judge = ContestStaff.objects.filter(role=StaffRole.JUDGE).select_related("user").order_by("pk").first()
    if judge:
        pages.append((judge.user.email, "/contest/judge/"))
    if slug:  # the organiser's page for the round results (a GET: shows the button, changes nothing)
        pages.append(("tuyengiao@demo.cchc.vn", f"/contest/{slug}/manage/rounds/preliminary/ranking.pdf"))
    pages.append((None, "/khong-co-trang-nay/"))  # the error pages are pages too (expected: 404)
    found, current = {}, "anon"
    for who, path in pages:
        if (who or "anon") != current:
            page.context.clear_cookies()
            if who:
                login(page, base, who)
            current = who or "anon"
        response = page.goto(f"{base}{path}")
        expected = 404 if path == "/khong-co-trang-nay/" else 200
        assert response.status == expected, f"{path} as {current}: {response.status}"
        violations = _axe(page)
        if violations:
            found[f"{path} ({current})"] = violations
    for where, violations in found.items():
        print(f"\n{where}")
        for v in violations:
            print(f"  [{v['impact']}] {v['id']}: {v['help']}")
            for node in v["nodes"]:
                print(f"      {node}")
    assert not found, f"serious/critical axe violations on {len(found)} page(s): " + ", ".join(found)
