from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo federation: fictional data for trying congdoan (`congdoan demo`), and its
    commands. It has no models; every app below it is used only through its services."""

    name = "congdoan.demo"
    label = "demo"
    verbose_name = "Demo"
