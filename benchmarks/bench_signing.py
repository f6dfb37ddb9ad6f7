"""Signing, measured: one official document (render, then the organisation's signature with its stamp), the size
a signature adds, and certificates signed through the Celery task on a real worker.

    .venv/bin/python benchmarks/bench_signing.py [--runs 5]
    .venv/bin/python benchmarks/bench_signing.py --certificates 1000   # after `manage.py generate_scale`;
        # needs REDIS_URL and a worker: `celery -A campaign_portal worker -c 2` (started by hand or --start-worker,
        # with --concurrency N)

The single-document part needs no database: the credential is built in memory from a throw-away PKI. The
certificates part signs for real: when the scale contest's organising unit has no credential (generate_scale gives
none), it gets a throw-away one for the run, removed afterwards; without it the worker would store unsigned copies
and the figure would measure rendering only.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness  # noqa: E402, F401  (Django set up)
from django.utils import timezone  # noqa: E402
from results import record  # noqa: E402

from campaign_portal.pdf import render_official_pdf_laid_out  # noqa: E402
from signatures import pki  # noqa: E402
from signatures.credentials import credential_unsaved  # noqa: E402
from signatures.images import draw_seal_png, draw_signature_png  # noqa: E402
from signatures.services import SIGNING_SPACE_ANCHOR, organisation_sign, signing_context  # noqa: E402

ORGANISATION = "Liên đoàn Lao động huyện Gia Lâm"


def _credential(key_type: str):
    root = pki.make_root_ca(common_name="CA bench", key_type=key_type)
    issued = pki.make_organisation_certificate(issuer=root, organisation=ORGANISATION, key_type=key_type)
    return credential_unsaved(
        pkcs12_data=pki.pkcs12_bytes(issued.key, issued.certificate, [root.certificate], "bench"),
        passphrase="bench",
        seal_png=draw_seal_png(organisation=ORGANISATION, centre_text="Gia Lâm"),
    )


def _context(paragraphs: int) -> dict:
    return dict(
        parent_body="LĐLĐ THÀNH PHỐ HÀ NỘI",
        issuing_body="LĐLĐ HUYỆN GIA LÂM",
        number_symbol="12/KH-LĐLĐ",
        place="Gia Lâm",
        date=date(2026, 11, 30),
        doc_type_label="KẾ HOẠCH",
        subject="Tuyên truyền cải cách hành chính",
        body_text="I. MỤC ĐÍCH\n" + "- Nâng cao nhận thức của cán bộ, đoàn viên về cải cách hành chính.\n" * paragraphs,
        signer_authority="TM. BAN THƯỜNG VỤ",
        signer_position="CHỦ TỊCH",
        signer_name="Nguyễn Thị Hà",
        distribution=["- Như trên;", "- Lưu: VT."],
    )


def bench_one_document(runs: int, key_type: str, paragraphs: int) -> None:
    credential = _credential(key_type)
    signature = draw_signature_png(name="Nguyễn Thị Hà")
    context = {**_context(paragraphs), **signing_context(code="BENCH23456", credential=credential)}
    plain = render_official_pdf_laid_out(template_name="documents/base_official.html", context=_context(paragraphs))
    render_times, sign_times, sizes = [], [], []
    for _ in range(runs + 1):  # the first run loads fonts and scales the stamp font: reported apart
        started = time.perf_counter()
        laid_out = render_official_pdf_laid_out(template_name="documents/base_official.html", context=context)
        rendered = time.perf_counter()
        anchor = laid_out.anchors[SIGNING_SPACE_ANCHOR]
        signed = organisation_sign(
            data=laid_out.data,
            credential=credential,
            page_index=anchor.page_index,
            origin=(anchor.left, anchor.top),
            organisation=ORGANISATION,
            signature_png=signature,
            now=timezone.now(),
        )
        render_times.append(rendered - started)
        sign_times.append(time.perf_counter() - rendered)
        sizes.append((len(laid_out.data), len(signed)))
    print(f"key {key_type}, {paragraphs} paragraphs, {len(plain.data)} bytes unsigned (no footer)")
    print(f"  first run: render {render_times[0] * 1000:.0f} ms, sign {sign_times[0] * 1000:.0f} ms")
    print(
        f"  median of {runs}: render {statistics.median(render_times[1:]) * 1000:.0f} ms, "
        f"sign {statistics.median(sign_times[1:]) * 1000:.0f} ms"
    )
    before, after = sizes[-1]
    print(f"  size: {before} → {after} bytes (+{after - before}, ×{after / before:.1f})")
    record(f"render one document ({key_type}, {paragraphs} paragraphs)", statistics.median(render_times[1:]) * 1000)
    record(f"organisation's signature ({key_type}, {paragraphs} paragraphs)", statistics.median(sign_times[1:]) * 1000)


def _throw_away_credential(unit):
    """The organising unit's credential for the run, or None when it already has one (kept as it is)."""
    from organizations.models import User
    from signatures.credentials import credential_for, credential_save_pkcs12

    if credential_for(unit) is not None:
        return None
    root = pki.make_root_ca(common_name="CA bench")
    issued = pki.make_organisation_certificate(issuer=root, organisation=unit.name[:64])
    by = User.objects.filter(is_superuser=True).first() or User.objects.order_by("pk").first()
    return credential_save_pkcs12(
        unit=unit,
        pkcs12_data=pki.pkcs12_bytes(issued.key, issued.certificate, [root.certificate], "bench"),
        passphrase="bench",
        by=by,
    )


def bench_certificates_on_worker(count: int, start_worker: bool, concurrency: int) -> None:
    from contest.background_documents import certificates_start
    from contest.enums import EntryStatus, PrizeGroup
    from contest.models import Award, CertificateBatch, Contest, PrizeTier
    from contest.numbering import organising_unit
    from contest.scale import SLUG
    from signatures.models import SignedFile

    contest = Contest.objects.filter(slug=SLUG).first()
    if contest is None:
        sys.exit("Run `manage.py generate_scale` first.")
    unit = organising_unit(contest)
    credential = _throw_away_credential(unit)
    worker = None
    if start_worker:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "campaign_portal", "worker", "-c", str(concurrency), "-l", "warning"]
        )
        time.sleep(8)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    tier = PrizeTier.objects.create(
        contest=contest, name="Giải Khuyến khích (bench ký số)", group=PrizeGroup.INDIVIDUAL, rank=98, quota=count
    )
    try:
        entries = list(
            contest.entries.filter(status__in=[EntryStatus.ELIGIBLE, EntryStatus.IN_JUDGING, EntryStatus.ADVANCED])
            .filter(award__isnull=True)
            .values_list("pk", flat=True)[:count]
        )
        awards = Award.objects.bulk_create([Award(entry_id=pk, tier=tier) for pk in entries])
        if len(awards) < count:
            sys.exit(f"Only {len(awards)} entries without an award: fewer than {count}.")
        started = time.perf_counter()
        batch = certificates_start(contest=contest, award_ids=[a.pk for a in awards])
        loads = []
        while True:
            batch.refresh_from_db()
            if batch.finished_at is not None:
                break
            if worker is not None and worker.poll() is not None:
                sys.exit(f"The worker stopped (exit {worker.returncode}) after {batch.done} certificates.")
            loads.append(os.getloadavg()[0])
            time.sleep(2)
        elapsed = time.perf_counter() - started
        keys = [f"contest.award:{a.pk}" for a in awards]
        signed = sum(
            any(s.get("kind") == "organisation" for s in signatures)
            for signatures in SignedFile.objects.filter(subject_key__in=keys).values_list("signatures", flat=True)
        )
        print(
            f"certificates through Celery (worker -c {concurrency}): {batch.done} done ({batch.failed} failed), "
            f"{signed} carry the organisation's signature, in {elapsed:.0f} s — "
            f"{elapsed / max(batch.done, 1) * 1000:.0f} ms per certificate, {batch.done / elapsed:.2f} per second"
        )
        record(f"signed certificates through Celery (-c {concurrency})", batch.done / elapsed, unit="per s")
        if loads:
            print(f"  1-minute load average while signing: median {statistics.median(loads):.2f}, max {max(loads):.2f}")
    finally:
        if worker is not None:  # stopped first: nothing renders while the run's files are removed
            worker.terminate()
            worker.wait()
        # The run's files go with their awards: the bench must not leave signed papers of awards that never were.
        awarded = Award.objects.filter(tier=tier)
        for award in awarded.exclude(certificate=""):
            award.certificate.delete(save=False)
        signed_files = SignedFile.objects.filter(
            subject_key__in=[f"contest.award:{pk}" for pk in awarded.values_list("pk", flat=True)]
        )
        for signed_file in signed_files:
            signed_file.file.delete(save=False)
        signed_files.delete()
        awarded.delete()
        tier.delete()
        CertificateBatch.objects.filter(contest=contest, total=count).delete()
        if credential is not None:
            credential.delete()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--certificates", type=int, default=0)
    parser.add_argument("--start-worker", action="store_true")
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes when --start-worker")
    args = parser.parse_args()
    for key_type in ("ec", "rsa"):
        bench_one_document(args.runs, key_type, paragraphs=3)
    bench_one_document(args.runs, "ec", paragraphs=120)
    if args.certificates:
        bench_certificates_on_worker(args.certificates, args.start_worker, args.concurrency)


if __name__ == "__main__":
    main()
