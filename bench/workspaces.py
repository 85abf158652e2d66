"""Workspaces figures: activity feed and member list latency and query counts as rows grow, invitation
throughput, and the member-limit race (N concurrent invites for the last seat).

    .venv/bin/python bench/workspaces.py [--events 10000] [--members 50] [--invites 200] [--racers 8]

Runs in-process through DRF's test client against its own PostgreSQL database (`bench_orbit_ws`, kept
between runs and emptied first). Latencies are the median of --repeat requests.
"""

import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orbit.test_settings")
os.environ["TEST_DATABASE_NAME"] = "bench_orbit_ws"

import django

django.setup()

import harness  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def median_ms(fn, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def queries(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


def main():
    args = harness.count_options(__doc__.split("\n\n")[0], events=10_000, members=50, invites=200, racers=8, repeat=20)
    harness.keep_test_database()

    from accounts.models import User
    from accounts.tests.factories import UserFactory
    from conftest import client_for
    from orbit.errors import OrbitError
    from workspaces.models import ActivityEvent, Invitation, Membership, Workspace
    from workspaces.services.invitations import invite
    from workspaces.tests.factories import MembershipFactory, WorkspaceFactory

    Workspace.objects.all().delete()
    User.objects.all().delete()

    workspace = WorkspaceFactory(plan="team")
    owner = client_for(workspace.owner)
    base = f"/api/workspaces/{workspace.pk}"

    print("activity feed, page of 100 (events in workspace -> median ms, queries):")
    actors = [UserFactory() for _ in range(20)]
    verbs = list(ActivityEvent.Verb)[:7]
    made = 0
    url = f"{base}/activity/?limit=100"
    for target in (100, 1_000, args.events):
        ActivityEvent.objects.bulk_create(
            ActivityEvent(workspace=workspace, actor=actors[n % len(actors)], verb=verbs[n % 7])
            for n in range(made, target)
        )
        made = target
        ms = median_ms(lambda: owner.get(url), args.repeat)
        filtered = median_ms(lambda: owner.get(f"{url}&verb={verbs[3]}"), args.repeat)
        print(
            f"  {target:>7}: {ms:6.1f} ms, {queries(lambda: owner.get(url))} queries; ?verb= filter {filtered:6.1f} ms"
        )

    print(f"members list ({args.members} members -> median ms, queries):")
    for _ in range(args.members - 1):
        MembershipFactory(workspace=workspace, invited_by=workspace.owner)
    members_url = f"{base}/members/?limit=100"
    print(
        f"  {args.members:>7}: {median_ms(lambda: owner.get(members_url), args.repeat):6.1f} ms, "
        f"{queries(lambda: owner.get(members_url))} queries"
    )

    big = WorkspaceFactory(plan="team")
    from django.conf import settings

    settings.ORBIT_PLANS_OVERRIDE = {"team": {"members": args.invites + 10}}
    big_owner = client_for(big.owner)
    started = time.perf_counter()
    for n in range(args.invites):
        response = big_owner.post(
            f"/api/workspaces/{big.pk}/invitations/", {"email": f"b{n}@example.com"}, format="json"
        )
        assert response.status_code == 201, response.content
    seconds = time.perf_counter() - started
    print(
        f"invitations: {args.invites} sequential invites in {seconds:.2f} s = {args.invites / seconds:.0f}/s "
        "(row lock + seat count + insert + activity)"
    )

    race = WorkspaceFactory()  # Free: 2 seats, the owner holds one
    inviter = Membership.objects.get(workspace=race, user=race.owner)
    barrier = threading.Barrier(args.racers)
    outcomes = []

    def racer(n):
        try:
            barrier.wait()
            invite(workspace=race, inviter_membership=inviter, email=f"r{n}@example.com", role=Membership.Role.EDITOR)
            outcomes.append("ok")
        except OrbitError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    started = time.perf_counter()
    threads = [threading.Thread(target=racer, args=(n,)) for n in range(args.racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    print(
        f"member-limit race: {args.racers} concurrent invites for 1 free seat -> "
        f"{outcomes.count('ok')} accepted, {outcomes.count('plan_limit_exceeded')} refused "
        f"({Invitation.objects.filter(workspace=race).count()} invitation stored) in {seconds * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
