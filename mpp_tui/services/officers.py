"""Officers: accounts, PINs (argon2) and sign-in with lockout.

Who may manage accounts: whoever holds the database URL (`by=None`: `mpp user …` run by IT,
DESIGN §7), an admin (every account), and a supervisor (only operators' PINs and locks).
"""

from __future__ import annotations

from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from mpp_tui.db.seed import first_control_character
from mpp_tui.db.tables import COUNTER, OFFICER
from mpp_tui.domain.enums import Role
from mpp_tui.domain.errors import Act, AuthError, Conflict, InvalidInput, NotFound, PermissionDenied
from mpp_tui.domain.rules import PIN_MAX, PIN_MIN, LockoutPolicy, pin_problem, username_ok, visible
from mpp_tui.domain.views import OfficerView
from mpp_tui.i18n import DEFAULT_LANG, ClockTime, t
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
        lockout: failures before a lock and its length.
        hasher: argon2 parameters (tests may pass cheaper ones).
    """

    def __init__(
        self,
        ctx: ServiceContext,
        *,
        lockout: LockoutPolicy | None = None,
        hasher: PasswordHasher | None = None,
    ) -> None:
        self.ctx = ctx
        self.lockout = lockout or LockoutPolicy()
        self.hasher = hasher or PasswordHasher()

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
            by: the admin doing it; None for whoever holds the database URL.

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
            self._check_manager(conn, by, Act("act.officer_add"), target_role=None)
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
            return self._view(conn, name)

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
            supervisor_may=True,
            failed_attempts=0,
            locked_until=None,
        )

    def disable(self, *, username: str, by: str | None = None) -> None:
        """Disable an account (kept for history; it can no longer sign in or act).

        Args:
            by: an admin; None for whoever holds the database URL.
        """
        self._update(username, by, Act("act.officer_disable"), active=False)

    def enable(self, *, username: str, by: str | None = None) -> None:
        """Enable a disabled account.

        Args:
            by: an admin; None for whoever holds the database URL.
        """
        self._update(
            username,
            by,
            Act("act.officer_enable"),
            active=True,
            failed_attempts=0,
            locked_until=None,
        )

    def authenticate(self, *, username: str, pin: str) -> OfficerView:
        """Check a PIN; lock the account after too many failures.

        Raises:
            AuthError: unknown user or wrong PIN (same message), locked or disabled account.
        """
        name = username.strip().lower()

        def work(conn: Connection) -> tuple[OfficerView | None, AuthError | None]:
            # FOR UPDATE (PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises): PINs tried
            # at once from many PCs are counted one after the other, so none slips past a lock.
            row = conn.execute(
                select(OF)
                .where(OF.c.hall_id == self.ctx.ref().hall_id, OF.c.username == name)
                .with_for_update()
            ).first()
            if row is None:
                self.hasher.hash(pin[:64])  # same cost as a real check: no user enumeration
                return None, AuthError("err.auth_failed")
            now = self.ctx.now()
            if row.locked_until is not None and row.locked_until > now:
                until = ClockTime(row.locked_until.astimezone(self.ctx.ref().tz).time())
                return None, AuthError("err.account_locked", officer=name, until=until)
            try:
                self.hasher.verify(row.pin_hash, pin)
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                failures = row.failed_attempts + 1
                locked = None
                if failures >= self.lockout.attempts:
                    locked = now + timedelta(minutes=self.lockout.minutes)
                    failures = 0
                conn.execute(
                    update(OF)
                    .where(OF.c.id == row.id)
                    .values(failed_attempts=failures, locked_until=locked)
                )
                if locked is not None:
                    until = ClockTime(locked.astimezone(self.ctx.ref().tz).time())
                    return None, AuthError("err.account_locked", officer=name, until=until)
                return None, AuthError("err.auth_failed")
            if not row.active:  # told only to whoever knows the PIN
                return None, AuthError("err.account_disabled", officer=name)
            if row.failed_attempts or row.locked_until is not None:
                conn.execute(
                    update(OF).where(OF.c.id == row.id).values(failed_attempts=0, locked_until=None)
                )
            return self._view(conn, name), None

        # The failure counter must be committed even though the caller gets an error.
        view, error = self.ctx.write(work)
        if error is not None:
            raise error
        assert view is not None
        return view

    # --- pieces -------------------------------------------------------------------------------

    @staticmethod
    def _check_pin(pin: str) -> None:
        reason = pin_problem(pin)
        if reason is not None:
            raise PinRefused(reason)

    def _check_manager(
        self, conn: Connection, by: str | None, act: Act, *, target_role: Role | None
    ) -> None:
        """Refuse `by` unless they may do `act` to an account of `target_role`.

        An admin may manage every account; a supervisor only operators (`target_role` given
        for the acts a supervisor may do at all); None (the database owner) anything.
        """
        if by is None:
            return
        row = conn.execute(
            select(OF.c.username, OF.c.role, OF.c.active).where(
                OF.c.hall_id == self.ctx.ref().hall_id, OF.c.username == by.strip().lower()
            )
        ).first()
        if row is None:
            raise NotFound("err.officer_not_found", officer=by[:40])
        if not row.active:
            raise PermissionDenied("err.account_disabled", officer=row.username)
        role = Role(row.role)
        if role is Role.ADMIN:
            return
        if role is Role.SUPERVISOR and target_role is Role.OPERATOR:
            return
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
        *,
        supervisor_may: bool = False,
        **values: object,
    ) -> None:
        name = username.strip().lower()

        def work(conn: Connection) -> None:
            # The actor first (an operator learns nothing about other accounts), then what
            # the actor may do to this account.
            may = Role.OPERATOR if supervisor_may else None
            self._check_manager(conn, by, act, target_role=may)
            target = conn.execute(
                select(OF.c.role).where(
                    OF.c.hall_id == self.ctx.ref().hall_id, OF.c.username == name
                )
            ).scalar_one_or_none()
            if target is None:
                raise NotFound("err.officer_not_found", officer=username[:40])
            if supervisor_may:
                self._check_manager(conn, by, act, target_role=Role(target))
            changed = conn.execute(
                update(OF)
                .where(OF.c.hall_id == self.ctx.ref().hall_id, OF.c.username == name)
                .values(**values)
            ).rowcount
            if changed != 1:
                raise NotFound("err.officer_not_found", officer=username[:40])

        self.ctx.write(work)

    def _view(self, conn: Connection, username: str) -> OfficerView:
        row = conn.execute(
            select(OF, CT.c.code.label("counter_code"))
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
