from __future__ import annotations

from rest_framework import serializers

from congdoan.activities.models import Keeping


class KeepingSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Keeping
        fields = ["id", "unit", "unit_code", "unit_name", "register", "from_year", "until_year"]
        read_only_fields = fields


class KeepingStartSerializer(serializers.Serializer):
    unit = serializers.IntegerField(help_text="The unit that keeps the register.")
    register = serializers.CharField(help_text="A register code (care, initiatives…).")
    from_year = serializers.IntegerField(min_value=2000, max_value=2200)


class KeepingStopSerializer(serializers.Serializer):
    last_year = serializers.IntegerField(min_value=2000, max_value=2200)
