"""Officers: accounts, PINs (argon2) and sign-in with lockout.

Who may manage accounts: an admin (every account) and a supervisor (only operators' PINs and
locks); `mpp user …` signs the acting officer in first. `by=None` is the database owner acting
in-process without an officer (seeding, the demo, tests, the first admin of `mpp init`); the CLI
never passes it. Every change is written to the audit log in the same transaction.

Sign-in: on SQLite the PIN is checked here against the stored argon2 hash (whoever can write the
file is admin anyway). On PostgreSQL the daily role cannot read hashes: the service asks the
database for the account's salt and parameters (`mpp_pin_salt`), computes the argon2 hash of the
typed PIN with them, and `mpp_sign_in` compares, counts failures and locks inside the database
(migration 0006), on the server's clock. Either way the lockout policy is the hall's
(`hall.pin_attempts`, `hall.pin_lock_minutes`).
"""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.low_level import hash_secret
from sqlalchemy import Connection, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from mpp_tui.db.seed import first_control_character
from mpp_tui.db.tables import COUNTER, HALL, OFFICER
from mpp_tui.domain.enums import Role
from mpp_tui.domain.errors import Act, AuthError, Conflict, InvalidInput, NotFound, PermissionDenied
from mpp_tui.domain.rules import PIN_MAX, PIN_MIN, LockoutPolicy, pin_problem, username_ok, visible
from mpp_tui.domain.views import OfficerView
from mpp_tui.i18n import DEFAULT_LANG, ClockTime, t
from mpp_tui.services.audit import record
from mpp_tui.services.context import ServiceContext, choice

OF = OFFICER
CT = COUNTER


class PinRefused(InvalidInput):
    """A new PIN breaks the policy; the message says the rule and which part this PIN breaks.

    Args:
        reason: the `pin.why.*` catalog key from :func:`mpp_tui.domain.rules.pin_problem`.
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason  # set first: the base class renders the message at once
        super().__init__("err.pin_policy", min=PIN_MIN, max=PIN_MAX)

    def message(self, lang: str = DEFAULT_LANG) -> str:
        """The policy, then the rule this PIN breaks."""
        return f"{super().message(lang)} {t(self.reason, lang)}"


class Officers:
    """Officer accounts of one hall.

    Args:
        ctx: the hall's service context.
        hasher: argon2 parameters for new PINs (tests may pass cheaper ones).
    """

    def __init__(self, ctx: ServiceContext, *, hasher: PasswordHasher | None = None) -> None:
        self.ctx = ctx
        self.hasher = hasher or PasswordHasher()

    def policy(self) -> LockoutPolicy:
        """The hall's lockout policy (in the database, so no PC sets its own)."""
        with self.ctx.read() as conn:
            return self.policy_in(conn)

    def add(
        self,
        *,
        username: str,
        pin: str,
        role: Role | str = Role.OPERATOR,
        full_name: str = "",
        by: str | None = None,
    ) -> OfficerView:
        """Create an account.

        Args:
            by: the admin doing it; None for the database owner acting in-process (never the CLI).

        Raises:
            InvalidInput: bad username or a PIN that breaks the policy.
            Conflict: the username exists.
            PermissionDenied: `by` is no admin, or is disabled.
        """
        name = username.strip().lower()
        if not username_ok(name):
            raise InvalidInput("err.username_invalid", officer=username[:40])
        if first_control_character(full_name) is not None:
            # A name is shown on every screen and list: a terminal escape in it would garble them.
            raise InvalidInput("err.full_name_invalid", name=visible(full_name)[:60])
        self._check_pin(pin)
        role = choice(Role, role, "field.role")
        pin_hash = self.hasher.hash(pin)

        def work(conn: Connection) -> OfficerView:
            actor = self._check_manager(conn, by, Act("act.officer_add"), target_role=None)
            try:
                with conn.begin_nested():
                    conn.execute(
                        insert(OF).values(
                            hall_id=self.ctx.ref().hall_id,
                            username=name,
                            full_name=full_name.strip()[:120],
                            role=role,
                            pin_hash=pin_hash,
                            active=True,
                            failed_attempts=0,
                            created_at=self.ctx.now(),
                        )
                    )
            except IntegrityError:
                raise Conflict("err.user_exists", officer=name) from None
            view = self._view(conn, name)
            record(
                self.ctx,
                conn,
                action="officer.add",
                target=name,
                actor=actor,
                after={**_shown(view), "pin": "set"},
            )
            return view

        view = self.ctx.write(work)
        self.ctx.ref(fresh=True)
        return view

    def list(self) -> list[OfficerView]:
        """Every account of the hall, by username."""
        with self.ctx.read() as conn:
            names = (
                conn.execute(
                    select(OF.c.username)
                    .where(OF.c.hall_id == self.ctx.ref().hall_id)
                    .order_by(OF.c.username)
                )
                .scalars()
                .all()
            )
            return [self._view(conn, n) for n in names]

    def set_pin(self, *, username: str, pin: str, by: str | None = None) -> None:
        """Replace a PIN; also clears failures and any lock.

        Args:
            by: an admin, or a supervisor resetting an operator's PIN; None for whoever holds
                the database URL.
        """
        self._check_pin(pin)
        pin_hash = self.hasher.hash(pin)
        self._update(
            username,
            by,
            Act("act.officer_set_pin"),
            "officer.set_pin",
            supervisor_may=True,
            pin_hash=pin_hash,
            failed_attempts=0,
            locked_until=None,
        )

    def unlock(self, *, username: str, by: str | None = None) -> None:
        """Lift a lockout (and forget earlier failures) without changing the PIN.

        Args:
            by: an admin, or a supervisor unlocking an operator; None for the database owner.
        """
        self._update(
            username,
            by,
            Act("act.officer_unlock"),
            "officer.unlock",
            supervisor_may=True,
            failed_attempts=0,
            locked_until=None,
        )

    def disable(self, *, username: str, by: str | None = None) -> None:
        """Disable an account (kept for history; it can no longer sign in or act).

        Args:
            by: an admin; None for the database owner acting in-process (never the CLI).
        """
        self._update(username, by, Act("act.officer_disable"), "officer.disable", active=False)

    def enable(self, *, username: str, by: str | None = None) -> None:
        """Enable a disabled account.

        Args:
            by: an admin; None for the database owner acting in-process (never the CLI).
        """
        self._update(
            username,
            by,
            Act("act.officer_enable"),
            "officer.enable",
            active=True,
            failed_attempts=0,
            locked_until=None,
        )

    def set_role(self, *, username: str, role: Role | str, by: str | None = None) -> None:
        """Give an account another role (operator, supervisor, admin).

        Args:
            by: an admin; None for the database owner.
        """
        role = choice(Role, role, "field.role")
        self._update(username, by, Act("act.officer_set_role"), "officer.set_role", role=role)

    def admins(self) -> int:
        """How many enabled admin accounts the hall has (`mpp init` makes the first)."""
        with self.ctx.read() as conn:
            return len(
                conn.execute(
                    select(OF.c.id).where(
                        OF.c.hall_id == self.ctx.ref().hall_id,
                        OF.c.role == Role.ADMIN,
                        OF.c.active.is_(True),
                    )
                ).all()
            )

    def authenticate(self, *, username: str, pin: str) -> OfficerView:
        """Check a PIN; lock the account after the hall's number of failures in a row.

        Raises:
            AuthError: unknown user or wrong PIN (same message), locked or disabled account.
        """
        name = username.strip().lower()
        pg = self.ctx.engine.dialect.name == "postgresql"
        # The failure counter must be committed even though the caller gets an error.
        error = self.ctx.write(
            lambda conn: (
                self._sign_in_pg(conn, name, pin) if pg else self._sign_in_here(conn, name, pin)
            )
        )
        if error is not None:
            raise error
        with self.ctx.read() as conn:
            return self._view(conn, name)

    def _sign_in_pg(self, conn: Connection, name: str, pin: str) -> AuthError | None:
        """Sign-in inside PostgreSQL: the hash never leaves the server (module docstring)."""
        hid = self.ctx.ref().hall_id
        salt = conn.execute(
            text("SELECT prefix, hash_len FROM mpp_pin_salt(:hall, :name)"),
            {"hall": hid, "name": name},
        ).one()
        candidate = _argon2_with(salt.prefix, salt.hash_len, pin)
        outcome, _officer, until = conn.execute(
            text("SELECT outcome, officer_id, locked_until FROM mpp_sign_in(:hall, :name, :hash)"),
            {"hall": hid, "name": name, "hash": candidate},
        ).one()
        return self._refusal(outcome, name, until)

    def _sign_in_here(self, conn: Connection, name: str, pin: str) -> AuthError | None:
        """Sign-in on SQLite: the same rules as `mpp_sign_in`, on this process's clock."""
        # SQLite's BEGIN IMMEDIATE serialises attempts from many processes.
        row = conn.execute(
            select(
                OF.c.id, OF.c.pin_hash, OF.c.active, OF.c.failed_attempts, OF.c.locked_until
            ).where(OF.c.hall_id == self.ctx.ref().hall_id, OF.c.username == name)
        ).first()
        if row is None:
            self.hasher.hash(pin[:64])  # same cost as a real check: no user enumeration
            return self._refusal("failed", name, None)
        now = self.ctx.now()
        if row.locked_until is not None and row.locked_until > now:
            return self._refusal("locked", name, row.locked_until)
        try:
            self.hasher.verify(row.pin_hash, pin)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            policy = self.policy_in(conn)
            failures = row.failed_attempts + 1
            locked = None
            if failures >= policy.attempts:
                locked = now + timedelta(minutes=policy.minutes)
                failures = 0
            conn.execute(
                update(OF)
                .where(OF.c.id == row.id)
                .values(failed_attempts=failures, locked_until=locked)
            )
            return self._refusal("failed" if locked is None else "locked", name, locked)
        if not row.active:  # told only to whoever knows the PIN
            return self._refusal("disabled", name, None)
        if row.failed_attempts or row.locked_until is not None:
            conn.execute(
                update(OF).where(OF.c.id == row.id).values(failed_attempts=0, locked_until=None)
            )
        return None

    def _refusal(self, outcome: str, name: str, until: datetime | None) -> AuthError | None:
        if outcome == "ok":
            return None
        if outcome == "locked" and until is not None:
            shown = ClockTime(until.astimezone(self.ctx.ref().tz).time())
            return AuthError("err.account_locked", officer=name, until=shown)
        if outcome == "disabled":
            return AuthError("err.account_disabled", officer=name)
        return AuthError("err.auth_failed")

    def policy_in(self, conn: Connection) -> LockoutPolicy:
        """The hall's lockout policy, read in the caller's transaction."""
        row = conn.execute(
            select(HALL.c.pin_attempts, HALL.c.pin_lock_minutes).where(
                HALL.c.id == self.ctx.ref().hall_id
            )
        ).one()
        return LockoutPolicy(row.pin_attempts, row.pin_lock_minutes)

    # --- pieces -------------------------------------------------------------------------------

    @staticmethod
    def _check_pin(pin: str) -> None:
        reason = pin_problem(pin)
        if reason is not None:
            raise PinRefused(reason)

    def _check_manager(
        self, conn: Connection, by: str | None, act: Act, *, target_role: Role | None
    ) -> Any:
        """Refuse `by` unless they may do `act` to an account of `target_role`.

        An admin may manage every account; a supervisor only operators (`target_role` given
        for the acts a supervisor may do at all); None (the database owner) anything.
        """
        if by is None:
            return None
        row = conn.execute(
            select(OF.c.id, OF.c.username, OF.c.role, OF.c.active).where(
                OF.c.hall_id == self.ctx.ref().hall_id, OF.c.username == by.strip().lower()
            )
        ).first()
        if row is None:
            raise NotFound("err.officer_not_found", officer=by[:40])
        if not row.active:
            raise PermissionDenied("err.account_disabled", officer=row.username)
        role = Role(row.role)
        if role is Role.ADMIN:
            return row
        if role is Role.SUPERVISOR and target_role is Role.OPERATOR:
            return row
        if role is Role.SUPERVISOR and target_role is not None:
            raise PermissionDenied(
                "err.denied_officer_target", officer=row.username, role=target_role.value
            )
        raise PermissionDenied("err.denied_role", officer=row.username, role=row.role, action=act)

    def _update(
        self,
        username: str,
        by: str | None,
        act: Act,
        action: str,
        *,
        supervisor_may: bool = False,
        **values: object,
    ) -> None:
        name = username.strip().lower()

        def work(conn: Connection) -> None:
            # The actor first (an operator learns nothing about other accounts), then what
            # the actor may do to this account.
            may = Role.OPERATOR if supervisor_may else None
            actor = self._check_manager(conn, by, act, target_role=may)
            target = conn.execute(
                select(OF.c.role).where(
                    OF.c.hall_id == self.ctx.ref().hall_id, OF.c.username == name
                )
            ).scalar_one_or_none()
            if target is None:
                raise NotFound("err.officer_not_found", officer=username[:40])
            if supervisor_may:
                self._check_manager(conn, by, act, target_role=Role(target))
            before = _shown(self._view(conn, name))
            changed = conn.execute(
                update(OF)
                .where(OF.c.hall_id == self.ctx.ref().hall_id, OF.c.username == name)
                .values(**values)
            ).rowcount
            if changed != 1:
                raise NotFound("err.officer_not_found", officer=username[:40])
            after = _shown(self._view(conn, name))
            if "pin_hash" in values:
                after["pin"] = "changed"
            record(
                self.ctx, conn, action=action, target=name, actor=actor, before=before, after=after
            )

        self.ctx.write(work)

    def _view(self, conn: Connection, username: str) -> OfficerView:
        row = conn.execute(
            select(
                OF.c.username,
                OF.c.full_name,
                OF.c.role,
                OF.c.active,
                OF.c.locked_until,
                CT.c.code.label("counter_code"),
            )
            .select_from(OF.outerjoin(CT, CT.c.officer_id == OF.c.id))
            .where(OF.c.hall_id == self.ctx.ref().hall_id, OF.c.username == username)
        ).one()
        return OfficerView(
            username=row.username,
            full_name=row.full_name,
            role=Role(row.role),
            active=row.active,
            locked_until=row.locked_until,
            counter_code=row.counter_code,
        )


def _shown(view: OfficerView) -> dict[str, Any]:
    """An account's values as the audit log keeps them."""
    return {
        "full_name": view.full_name,
        "role": view.role.value,
        "active": view.active,
        "locked": view.locked_until is not None,
    }


def _argon2_with(prefix: str, hash_len: int, pin: str) -> str:
    """The encoded argon2 hash of `pin` with the salt and parameters of `prefix` (an encoded
    hash without its digest, as `mpp_pin_salt` gives it)."""
    params = extract_parameters(prefix + "$" + "A" * 43)
    salt_b64 = prefix.rsplit("$", 1)[1]
    salt = base64.b64decode(salt_b64 + "=" * (-len(salt_b64) % 4))
    encoded = hash_secret(
        pin.encode(),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_cost,
        parallelism=params.parallelism,
        hash_len=hash_len,
        type=params.type,
        version=params.version,
    )
    return encoded.decode()
