"""The POST data an admin change form would send unchanged, read from the page's forms."""

import datetime as dt

from django import forms


def _main_form(form) -> dict:
    data: dict = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.FileField) or value is None or value is False:
            continue
        if isinstance(field, forms.SplitDateTimeField) and isinstance(value, list):
            data[f"{name}_0"], data[f"{name}_1"] = value  # a bound form: as it was sent
        elif isinstance(field, forms.SplitDateTimeField):
            moment = field.widget.decompress(value)
            data[f"{name}_0"] = moment[0].isoformat() if moment[0] else ""
            data[f"{name}_1"] = moment[1].strftime("%H:%M:%S") if moment[1] else ""
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, dt.datetime | dt.date):
            data[name] = value.isoformat()
        else:
            data[name] = value
    return data


def _hidden_initial(form, data: dict) -> dict:
    """The ``initial-…`` copies a browser sends for fields that show their initial value
    (a date defaulting to now): the value the form was shown with."""
    if form.is_bound:
        return {key: value for key, value in form.data.items() if key.startswith("initial-")}
    names = [name for name, field in form.fields.items() if field.show_hidden_initial]
    return {
        f"initial-{key}": value
        for key, value in data.items()
        for name in names
        if key == name or key.startswith(f"{name}_")
    }


def form_data(response) -> dict:
    form = response.context["adminform"].form
    data = _main_form(form)
    data.update(_hidden_initial(form, data))
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        count = len(formset.initial_forms)
        data[f"{formset.prefix}-TOTAL_FORMS"] = count
        data[f"{formset.prefix}-INITIAL_FORMS"] = count
        data[f"{formset.prefix}-MIN_NUM_FORMS"] = 0
        data[f"{formset.prefix}-MAX_NUM_FORMS"] = 1000
        for form in formset.initial_forms:
            for name in form.fields:
                value = form[name].value()
                if value is not None and value is not False:
                    data[form.add_prefix(name)] = value
    return data


def add_inline_row(data: dict, prefix: str, **values) -> None:
    """Append a new row to an inline formset in ``data``."""
    n = int(data[f"{prefix}-TOTAL_FORMS"])
    for name, value in values.items():
        data[f"{prefix}-{n}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = n + 1


def delete_inline_row(data: dict, prefix: str, *, where: str, equals) -> None:
    """Tick DELETE on the inline row whose field ``where`` has value ``equals``."""
    n = int(data[f"{prefix}-TOTAL_FORMS"])
    for i in range(n):
        if str(data.get(f"{prefix}-{i}-{where}")) == str(equals):
            data[f"{prefix}-{i}-DELETE"] = "on"
            return
    raise AssertionError(f"no {prefix} row with {where}={equals}")
