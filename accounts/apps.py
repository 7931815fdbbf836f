from django.apps import AppConfig
from django.core import checks


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from accounts.security_log import failed_sign_in_record

        user_login_failed.connect(failed_sign_in_record, dispatch_uid="accounts.failed_sign_in_record")
        checks.register(_check_mfa_roles)


def _check_mfa_roles(app_configs, **kwargs) -> list[checks.CheckMessage]:
    from django.conf import settings

    from accounts.models import Role

    unknown = sorted(set(settings.MFA_REQUIRED_ROLES) - set(Role.values))
    if unknown:
        return [
            checks.Error(
                f"MFA_REQUIRED_ROLES names roles that do not exist: {', '.join(unknown)}",
                hint=f"Choose among {', '.join(Role.values)}.",
                id="accounts.E001",
            )
        ]
    return []
