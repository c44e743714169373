"""OfficerService: accounts, PINs (argon2) and sign-in with lockout."""

from __future__ import annotations

from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from mpp_tui.db.tables import COUNTER, OFFICER
from mpp_tui.domain.clock import Clock
from mpp_tui.domain.enums import Role
from mpp_tui.domain.errors import AuthError, Conflict, InvalidInput, NotFound
from mpp_tui.domain.rules import PIN_MAX, PIN_MIN, LockoutPolicy, pin_ok, username_ok
from mpp_tui.domain.views import OfficerView
from mpp_tui.services.base import choice

from .base import ServiceBase

OF = OFFICER
CT = COUNTER


class OfficerService(ServiceBase):
    """Officer accounts of one hall.

    Args:
        engine: the process's engine.
        hall: hall code (None = the only hall).
        clock: time source.
        lockout: failures before a lock and its length.
        hasher: argon2 parameters (tests may pass cheaper ones).
    """

    def __init__(
        self,
        engine: Engine,
        *,
        hall: str | None = None,
        clock: Clock | None = None,
        lockout: LockoutPolicy | None = None,
        hasher: PasswordHasher | None = None,
    ) -> None:
        super().__init__(engine, hall=hall, clock=clock)
        self.lockout = lockout or LockoutPolicy()
        self.hasher = hasher or PasswordHasher()

    def add(
        self, *, username: str, pin: str, role: Role | str = Role.OPERATOR, full_name: str = ""
    ) -> OfficerView:
        """Create an account.

        Raises:
            InvalidInput: bad username or a PIN that breaks the policy.
            Conflict: the username exists.
        """
        name = username.strip().lower()
        if not username_ok(name):
            raise InvalidInput("err.username_invalid", officer=username[:40])
        self._check_pin(pin)
        role = choice(Role, role, "field.role")
        pin_hash = self.hasher.hash(pin)

        def work(conn: Connection) -> OfficerView:
            try:
                with conn.begin_nested():
                    conn.execute(
                        insert(OF).values(
                            hall_id=self.ref().hall_id,
                            username=name,
                            full_name=full_name.strip()[:120],
                            role=role,
                            pin_hash=pin_hash,
                            active=True,
                            failed_attempts=0,
                            created_at=self.now(),
                        )
                    )
            except IntegrityError:
                raise Conflict("err.user_exists", officer=name) from None
            return self._view(conn, name)

        view = self._write(work)
        self.ref(fresh=True)
        return view

    def list(self) -> list[OfficerView]:
        """Every account of the hall, by username."""
        with self._read() as conn:
            names = (
                conn.execute(
                    select(OF.c.username)
                    .where(OF.c.hall_id == self.ref().hall_id)
                    .order_by(OF.c.username)
                )
                .scalars()
                .all()
            )
            return [self._view(conn, n) for n in names]

    def set_pin(self, *, username: str, pin: str) -> None:
        """Replace a PIN; also clears failures and any lock."""
        self._check_pin(pin)
        pin_hash = self.hasher.hash(pin)
        self._update(username, pin_hash=pin_hash, failed_attempts=0, locked_until=None)

    def disable(self, *, username: str) -> None:
        """Disable an account (kept for history; it can no longer sign in)."""
        self._update(username, active=False)

    def enable(self, *, username: str) -> None:
        """Enable a disabled account."""
        self._update(username, active=True, failed_attempts=0, locked_until=None)

    def authenticate(self, *, username: str, pin: str) -> OfficerView:
        """Check a PIN; lock the account after too many failures.

        Raises:
            AuthError: unknown user or wrong PIN (same message), locked or disabled account.
        """
        name = username.strip().lower()

        def work(conn: Connection) -> tuple[OfficerView | None, AuthError | None]:
            row = conn.execute(
                select(OF).where(OF.c.hall_id == self.ref().hall_id, OF.c.username == name)
            ).first()
            if row is None:
                self.hasher.hash(pin[:64])  # same cost as a real check: no user enumeration
                return None, AuthError("err.auth_failed")
            now = self.now()
            if row.locked_until is not None and row.locked_until > now:
                until = row.locked_until.astimezone(self.ref().tz).strftime("%H:%M")
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
                    until = locked.astimezone(self.ref().tz).strftime("%H:%M")
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
        view, error = self._write(work)
        if error is not None:
            raise error
        assert view is not None
        return view

    # --- pieces -------------------------------------------------------------------------------

    @staticmethod
    def _check_pin(pin: str) -> None:
        if not pin_ok(pin):
            raise InvalidInput("err.pin_policy", min=PIN_MIN, max=PIN_MAX)

    def _update(self, username: str, **values: object) -> None:
        name = username.strip().lower()

        def work(conn: Connection) -> None:
            changed = conn.execute(
                update(OF)
                .where(OF.c.hall_id == self.ref().hall_id, OF.c.username == name)
                .values(**values)
            ).rowcount
            if changed != 1:
                raise NotFound("err.officer_not_found", officer=username[:40])

        self._write(work)

    def _view(self, conn: Connection, username: str) -> OfficerView:
        row = conn.execute(
            select(OF, CT.c.code.label("counter_code"))
            .select_from(OF.outerjoin(CT, CT.c.officer_id == OF.c.id))
            .where(OF.c.hall_id == self.ref().hall_id, OF.c.username == username)
        ).one()
        return OfficerView(
            username=row.username,
            full_name=row.full_name,
            role=Role(row.role),
            active=row.active,
            locked_until=row.locked_until,
            counter_code=row.counter_code,
        )
