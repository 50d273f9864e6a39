"""Edits cannot collide: optimistic locking for the admin, on each record's history.

A record's version is the id of its latest django-simple-history record: every save through
the model (the admin, imports, the seed command, a revert) writes one, and the history already
knows who changed which fields and when, so no version column is needed. A change form
carries, in a hidden field, the version of the record and of each inline row as it was when
the form was opened. On save the versions are compared with the current ones twice: in
validation, after taking a row lock (`select_for_update` on PostgreSQL; on SQLite the
`IMMEDIATE` transaction the admin saves in already serialises writers), and again inside the
save transaction just before writing. A difference is a form error naming who changed which
fields and when; the form comes back with what the curator typed, carrying the current
version, so that saving again is a deliberate choice to keep what the form shows; a field the
curator left alone shows the other save's value, so that saving again keeps both edits.

Two curators adding a part at the same position: validation names the row that holds the
position; if both pass validation at once, the database's unique constraint refuses the second
insert and the `IntegrityError` becomes the same form error (the transaction is rolled back).

Rows written without the model's `save()` (`update()`, `bulk_create`, raw SQL) write no history
and so do not move the version: run those only when nobody is editing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Max, UniqueConstraint
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import Truncator, capfirst

VERSION_FIELD = "edit_version"
NO_VERSION = ""  # a record with no history yet


class EditConflict(Exception):
    """Raised while saving: the save transaction is rolled back and the form shown again.

    `errors` maps a form's prefix (None for the main form) to `(field or None, message)`.
    """

    def __init__(self, errors: dict[str | None, list[tuple[str | None, str]]]):
        super().__init__(errors)
        self.errors = errors


# Versions ---------------------------------------------------------------------------------


def history_model(model):
    """The historical model of a content model (proxies use their concrete model's)."""
    concrete = model._meta.concrete_model
    attribute = getattr(concrete._meta, "simple_history_manager_attribute", None)
    return getattr(concrete, attribute).model if attribute else None


def current_versions(model, pks) -> dict:
    """The latest history id of each of `pks`, as the string a form carries."""
    pks = [pk for pk in pks if pk is not None]
    history = history_model(model)
    if history is None or not pks:
        return {}
    pk_name = model._meta.pk.attname
    rows = (
        history.objects.filter(**{f"{pk_name}__in": pks})
        .order_by()  # the history's own ordering would split the groups
        .values(pk_name)
        .annotate(latest=Max("history_id"))
        .values_list(pk_name, "latest")
    )
    return {pk: str(latest) for pk, latest in rows}


def lock_rows(model, pks) -> None:
    """Hold the rows until the save transaction ends, so that nobody saves in between."""
    pks = sorted(pk for pk in pks if pk is not None)
    using = router.db_for_write(model)
    if pks and connections[using].features.has_select_for_update:
        rows = model._base_manager.using(using).select_for_update().filter(pk__in=pks)
        list(rows.order_by("pk").values_list("pk", flat=True))


@dataclass
class Change:
    """One save by someone else since the form was opened."""

    who: str
    when: str
    kind: str  # "+", "~" or "-", as django-simple-history records them
    fields: list[str]  # names of the fields changed
    label: str  # the record as it stood after this change


def person(user) -> str:
    if user is None:
        return "a command or an import (no user recorded)"
    full_name = user.get_full_name()
    return f"{full_name} ({user.get_username()})" if full_name else user.get_username()


def moment(value) -> str:
    local = timezone.localtime(value)
    return f"{date_format(local, 'H:i')} on {date_format(local, 'j F Y')}"


def changes_since(model, pk, version: str) -> list[Change]:
    history = history_model(model)
    pk_name = model._meta.pk.attname
    since = int(version) if version and version.isdigit() else 0
    records = (
        history.objects.filter(**{pk_name: pk}, history_id__gt=since)
        .order_by("history_id")
        .select_related("history_user")
    )
    changes = []
    for record in records:
        fields = []
        if record.history_type == "~":
            previous = record.prev_record
            if previous is not None:
                fields = record.diff_against(previous).changed_fields
        changes.append(
            Change(
                who=person(record.history_user),
                when=moment(record.history_date),
                kind=record.history_type,
                fields=fields,
                label=str(record.instance),
            )
        )
    return changes


def field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a field since removed: show its name
        return name


def join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def summary(model, changes: list[Change]) -> str:
    """ "Bob Jones (bob) changed title and summary at 06:31 on 2 December 2026"."""
    parts = []
    for change in changes[-5:]:
        if change.kind == "-":
            parts.append(f"{change.who} deleted it at {change.when}")
        elif change.fields:
            names = join([field_label(model, name) for name in change.fields])
            parts.append(f"{change.who} changed {names} at {change.when}")
        else:
            parts.append(f"{change.who} saved it at {change.when}")
    return "; ".join(parts)


def shown(instance, name: str) -> str:
    """A field's current value, as a curator reads it."""
    field = instance._meta.get_field(name)
    if field.many_to_many:
        value = ", ".join(str(item) for item in getattr(instance, name).all()) or "(none)"
    elif field.choices:
        value = getattr(instance, f"get_{name}_display")()
    else:
        value = getattr(instance, name)
    if value in (None, ""):
        value = "(blank)"
    return Truncator(str(value)).chars(80)


def conflict_errors(model, pk, version: str, form) -> list[tuple[str | None, str]]:
    """What to tell a curator whose form was opened at `version`, or [] if nothing changed."""
    # A save that changed nothing (an admin save writes a version even so) is no conflict.
    changes = [c for c in changes_since(model, pk, version) if c.kind != "~" or c.fields]
    if not changes:
        return []
    name = model._meta.verbose_name
    errors: list[tuple[str | None, str]] = [
        (
            None,
            f"Someone else saved this {name} after you opened this form: "
            f"{summary(model, changes)}. Nothing has been saved. What you typed is still in "
            "the form; the fields they changed are marked. Check them, then save again.",
        )
    ]
    current = model._base_manager.filter(pk=pk).first()
    latest: dict[str, Change] = {}
    for change in changes:
        for field in change.fields:
            latest[field] = change
    theirs = untouched_fields(form, model, version, latest)
    for field, change in latest.items():
        if field in form.fields and current is not None:
            if field in theirs:
                keeps = "You had not changed it: the form now shows their value."
            else:
                keeps = "The form still shows your value: saving again puts it in place of theirs."
            errors.append(
                (
                    field,
                    f"{change.who} changed this to “{shown(current, field)}” at {change.when}, "
                    f"after you opened the form. {keeps}",
                )
            )
    return errors


def untouched_fields(form, model, version: str, names) -> set[str]:
    """Of the fields someone else changed, those the curator left as they were when the form
    was opened: showing the current value there loses nothing of either."""
    history = history_model(model)
    opened = history.objects.filter(history_id=int(version)).first() if version.isdigit() else None
    if opened is None:
        return set()
    as_opened = opened.instance
    untouched = set()
    for name in names:
        field = form.fields.get(name)
        if field is None or isinstance(field, forms.ModelMultipleChoiceField):
            continue  # many-to-many values are not compared: the curator decides
        initial = model._meta.get_field(name).value_from_object(as_opened)
        submitted = field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        if not field.has_changed(initial, submitted):
            untouched.add(name)
    return untouched


def show_current_values(form, names) -> None:
    """Put the record's current value, as a browser would post it, into fields of `form`."""
    if not names or form.instance.pk is None:
        return
    model = form._meta.model
    current = model._base_manager.filter(pk=form.instance.pk).first()
    if current is None:
        return
    data = form.data.copy()
    for name in names:
        field = form.fields[name]
        key = form.add_prefix(name)
        value = model._meta.get_field(name).value_from_object(current)
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[key] = "on"
            else:
                data.pop(key, None)
        elif isinstance(field, forms.ModelChoiceField):
            data[key] = "" if value is None else str(value)
        else:
            shown_value = field.widget.format_value(field.prepare_value(value))
            if isinstance(shown_value, list):
                shown_value = shown_value[0] if shown_value else ""
            data[key] = "" if shown_value is None else str(shown_value)
    form.data = data


def take_theirs(form, version: str) -> None:
    """Where the curator left a field alone and someone else changed it, show theirs."""
    model = form._meta.model
    changes = changes_since(model, form.instance.pk, version)
    names = {name for change in changes for name in change.fields}
    show_current_values(form, untouched_fields(form, model, version, names))


# Positions --------------------------------------------------------------------------------


def position_parent(model) -> str | None:
    """The record a part is ordered within, if the model has a unique (parent, position)."""
    for constraint in model._meta.constraints:
        if (
            isinstance(constraint, UniqueConstraint)
            and constraint.condition is None
            and len(constraint.fields) == 2
            and "position" in constraint.fields
        ):
            return next(field for field in constraint.fields if field != "position")
    return None


def position_holder(model, parent, position, own_pk):
    """The other row that holds `position` within `parent`, if any."""
    parent_name = position_parent(model)
    if parent_name is None or parent is None or parent.pk is None or position is None:
        return None
    rows = model._base_manager.filter(**{parent_name: parent, "position": position})
    return rows.exclude(pk=own_pk).first() if own_pk is not None else rows.first()


def taken_message(position, holder) -> str:
    return f"Position {position} is already taken by “{holder}”; choose another."


SAVE_CLASH = (
    "Another change was saved at the same moment as yours and the two clash, so nothing has "
    "been saved. What you typed is still in the form: check it and save again."
)


# Forms ------------------------------------------------------------------------------------


class VersionField(forms.CharField):
    """The version a form was opened at. Never a change in itself."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def has_changed(self, initial, data):
        return False


class VersionedForm(forms.ModelForm):
    """A change form that refuses to overwrite a save made since it was opened."""

    edit_version = VersionField()

    # Errors found while saving, shown when the form is built again (set per request).
    stashed_errors: dict = {}

    def get_initial_for_field(self, field, field_name):
        if field_name == VERSION_FIELD:
            if self.is_bound or self.instance.pk is None:
                return NO_VERSION
            if VERSION_FIELD not in self.initial:
                versions = current_versions(self._meta.model, [self.instance.pk])
                self.initial[VERSION_FIELD] = versions.get(self.instance.pk, NO_VERSION)
        return super().get_initial_for_field(field, field_name)

    def submitted_version(self) -> str:
        return self.data.get(self.add_prefix(VERSION_FIELD), NO_VERSION)

    def set_version(self, version: str) -> None:
        """Carry `version` when the form is shown again: saving again is a choice made
        having seen the other save."""
        self.data = self.data.copy()
        self.data[self.add_prefix(VERSION_FIELD)] = version

    def add_errors(self, errors) -> None:
        for field, message in errors:
            self.add_error(field if field in self.fields else None, message)

    def clean(self):
        cleaned_data = super().clean()
        self.check_position()
        checks_own_version = getattr(self, "checks_own_version", True)
        if self.prefix in self.stashed_errors:
            self.add_errors(self.stashed_errors[self.prefix])
            if checks_own_version and self.instance.pk is not None:  # rows: their formset
                take_theirs(self, self.submitted_version())
                self.set_version(self.versions_now().get(self.instance.pk, NO_VERSION))
        elif checks_own_version:
            self.check_version()
        return cleaned_data

    def versions_now(self) -> dict:
        return current_versions(self._meta.model, [self.instance.pk])

    def check_version(self) -> None:
        """The main form checks itself; inline rows are checked by their formset, together."""
        model = self._meta.model
        if self.instance.pk is None or history_model(model) is None:
            return
        lock_rows(model, [self.instance.pk])
        version = self.versions_now().get(self.instance.pk, NO_VERSION)
        if version == self.submitted_version() or not self.has_changed():
            return
        errors = conflict_errors(model, self.instance.pk, self.submitted_version(), self)
        if errors:
            self.add_errors(errors)
            take_theirs(self, self.submitted_version())
            self.set_version(version)

    def check_position(self) -> None:
        model = self._meta.model
        parent_name = position_parent(model)
        if parent_name is None or "position" not in self.cleaned_data:
            return
        if self.instance.pk is not None and not {"position", parent_name} & set(self.changed_data):
            return
        parent = self.cleaned_data.get(parent_name) or getattr(self.instance, parent_name, None)
        position = self.cleaned_data["position"]
        holder = position_holder(model, parent, position, self.instance.pk)
        if holder is not None:
            self.add_error("position", taken_message(position, holder))


class VersionedInlineFormSet(BaseInlineFormSet):
    """Inline rows carry their versions; a row changed or deleted since opening is a
    conflict, found for all rows at once (one lock, one query)."""

    @cached_property
    def opening_versions(self) -> dict:
        return current_versions(self.model, [obj.pk for obj in self.get_queryset()])

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.checks_own_version = False
        if not form.is_bound and form.instance.pk is not None:
            form.initial.setdefault(
                VERSION_FIELD, self.opening_versions.get(form.instance.pk, NO_VERSION)
            )
        return form

    def submitted_pk(self, form) -> str:
        return self.data.get(form.add_prefix(self.model._meta.pk.name), "")

    def get_queryset(self):
        """When the form comes back, a row deleted since it was opened is shown as it was
        (from its history), in its place, so that what the curator typed there is kept."""
        queryset = super().get_queryset()
        if not self.is_bound or history_model(self.model) is None:
            return queryset
        if not hasattr(self, "_rows_as_opened"):
            pk_name = self.model._meta.pk.name
            submitted = [
                self.data.get(f"{self.add_prefix(i)}-{pk_name}", "")
                for i in range(self.initial_form_count())
            ]
            submitted = [int(pk) for pk in submitted if pk.isdigit()]
            rows = {row.pk: row for row in queryset}
            rows |= self.gone_rows([pk for pk in submitted if pk not in rows])
            in_form = [rows.pop(pk) for pk in submitted if pk in rows]
            self._rows_as_opened = [*in_form, *rows.values()]
        return self._rows_as_opened

    def gone_rows(self, pks) -> dict:
        if not pks:
            return {}
        pk_name = self.model._meta.pk.attname
        records = (
            history_model(self.model)
            .objects.filter(**{f"{pk_name}__in": pks}, history_type="-")
            .select_related("history_user")
            .order_by("history_id")
        )
        gone = {}
        for record in records:
            row = record.instance
            row.deleted_by = record  # not in the database: never saved or deleted again
            gone[row.pk] = row
        return gone

    def delete_existing(self, obj, commit=True):
        if not hasattr(obj, "deleted_by"):
            super().delete_existing(obj, commit=commit)

    def clean(self):
        super().clean()
        opened = {form.prefix: form.submitted_version() for form in self.initial_forms}
        if self.form.stashed_errors:  # shown again after a failed save: say only that
            self.show_again()
            self.take_theirs(opened, self.form.stashed_errors)
            return
        errors = self.row_conflicts(lock=True)
        if errors:
            self.show_again()
            self.take_theirs(opened, errors)
            for form in self.forms:
                form.add_errors(errors.pop(form.prefix, []))
            messages = [message for rows in errors.values() for _, message in rows]
            if messages:
                raise forms.ValidationError(messages)

    def take_theirs(self, opened: dict, errors: dict) -> None:
        for form in self.initial_forms:
            gone = hasattr(form.instance, "deleted_by") or form.instance.pk is None
            if form.prefix in errors and not gone:
                take_theirs(form, opened[form.prefix])

    def show_again(self) -> None:
        """Each row carries the current version when the form is shown again."""
        versions = current_versions(self.model, [f.instance.pk for f in self.initial_forms])
        data = self.data.copy()
        for form in self.initial_forms:
            if form.instance.pk is not None:
                data[form.add_prefix(VERSION_FIELD)] = versions.get(form.instance.pk, "")
        self.data = data
        for form in self.forms:
            form.data = data

    def row_conflicts(self, *, lock: bool) -> dict:
        """Errors by form prefix (None: the formset's own) for rows changed or deleted by
        someone else since the form was opened."""
        model = self.model
        if history_model(model) is None:
            return {}
        existing = [
            form
            for form in self.initial_forms
            if form.instance.pk is not None and not hasattr(form.instance, "deleted_by")
        ]
        if lock:
            lock_rows(model, [form.instance.pk for form in existing])
        versions = current_versions(model, [form.instance.pk for form in existing])
        name = model._meta.verbose_name
        errors: dict = {}
        for form in existing:
            submitted = form.submitted_version()
            if versions.get(form.instance.pk, NO_VERSION) == submitted:
                continue
            deleting = self.can_delete and self._should_delete_form(form)
            if not deleting and not form.has_changed():
                continue  # the row is not being written: nothing of theirs is lost
            found = conflict_errors(model, form.instance.pk, submitted, form)
            if not found:
                continue
            if deleting:
                changes = changes_since(model, form.instance.pk, submitted)
                errors.setdefault(None, []).append(
                    (
                        None,
                        f"You asked to delete the {name} “{form.instance}”, but "
                        f"{summary(model, changes)}, after you opened this form. Nothing has "
                        "been saved: tick its Delete box again to delete it anyway.",
                    )
                )
            else:
                first = (
                    None,
                    f"Someone else changed this {name} after you opened this form: "
                    f"{summary(model, changes_since(model, form.instance.pk, submitted))}. "
                    "Nothing has been saved. Check the fields marked, then save again.",
                )
                errors[form.prefix] = [first, *found[1:]]
        for form in self.initial_forms:
            deleting = self.can_delete and self._should_delete_form(form)
            gone = form.instance.pk is None or hasattr(form.instance, "deleted_by")
            if gone and self.submitted_pk(form) and not deleting:
                message = self.deleted_message(getattr(form.instance, "deleted_by", None))
                errors.setdefault(form.prefix, []).append((None, message))
        return errors

    def deleted_message(self, record) -> str:
        name = self.model._meta.verbose_name
        if record is None:
            return (
                f"A {name} in this form was deleted after you opened it. Nothing has been "
                "saved: tick its Delete box, and add it again as a new row to keep it."
            )
        return (
            f"{capfirst(name)} “{record.instance}” was deleted by {person(record.history_user)} "
            f"at {moment(record.history_date)}, after you opened this form. Nothing has been "
            "saved: tick its Delete box, and add it again as a new row to keep it."
        )


# The admin --------------------------------------------------------------------------------


def with_version_field(fieldsets, *, editable: bool):
    """Render the hidden version field, whatever fields an admin declares; leave it out of a
    read-only view (where every field is shown as text)."""
    if not editable:
        return [
            (name, {**options, "fields": without_version_field(options["fields"])})
            for name, options in fieldsets
        ]
    if VERSION_FIELD in flatten_fieldsets(fieldsets):
        return fieldsets
    (name, options), *rest = fieldsets
    options = {**options, "fields": (*options["fields"], VERSION_FIELD)}
    return [(name, options), *rest]


def without_version_field(fields):
    kept = []
    for field in fields:
        if isinstance(field, list | tuple):
            field = tuple(name for name in field if name != VERSION_FIELD)
            if field:
                kept.append(field)
        elif field != VERSION_FIELD:
            kept.append(field)
    return tuple(kept)


def bind_stash(form_class, request):
    stash = getattr(request, "edit_conflicts", None)
    if not stash:
        return form_class
    return type(form_class.__name__, (form_class,), {"stashed_errors": stash})


class VersionedInlineMixin:
    """For every inline of a content model."""

    form = VersionedForm
    formset = VersionedInlineFormSet

    def get_fieldsets(self, request, obj=None):
        editable = self.has_change_permission(request, obj) or self.has_add_permission(request, obj)
        return with_version_field(super().get_fieldsets(request, obj), editable=editable)

    def get_formset(self, request, obj=None, **kwargs):
        formset_class = super().get_formset(request, obj, **kwargs)
        form_class = bind_stash(formset_class.form, request)
        if form_class is formset_class.form:
            return formset_class
        return type(formset_class.__name__, (formset_class,), {"form": form_class})


class VersionedAdminMixin:
    """For every content model's admin: the change form refuses lost updates."""

    form = VersionedForm

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            editable = self.has_add_permission(request)
        else:
            editable = self.has_change_permission(request, obj)
        return with_version_field(super().get_fieldsets(request, obj), editable=editable)

    def get_form(self, request, obj=None, change=False, **kwargs):
        return bind_stash(super().get_form(request, obj, change=change, **kwargs), request)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict as conflict:  # the save transaction has been rolled back
            request.edit_conflicts = conflict.errors
        return super().changeform_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """The revert form saves through save_model too: a clash there is a form error."""
        try:
            return super().history_form_view(request, object_id, version_id, extra_context)
        except EditConflict as conflict:
            request.edit_conflicts = conflict.errors
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        if change and isinstance(form, VersionedForm) and form.has_changed():
            model = form._meta.model
            version = form.versions_now().get(obj.pk, NO_VERSION)
            if version != form.submitted_version():
                errors = conflict_errors(model, obj.pk, form.submitted_version(), form)
                if errors:
                    raise EditConflict({form.prefix: errors})
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                super().save_model(request, obj, form, change)
        except IntegrityError:
            raise EditConflict({form.prefix: self.clash_errors(form)}) from None

    def clash_errors(self, form) -> list:
        model = form._meta.model
        parent_name = position_parent(model)
        if parent_name is not None:
            position = form.cleaned_data.get("position")
            parent = form.cleaned_data.get(parent_name)
            holder = position_holder(model, parent, position, form.instance.pk)
            if holder is not None:
                return [("position", taken_message(position, holder))]
        return [(None, SAVE_CLASH)]

    def save_formset(self, request, form, formset, change):
        if isinstance(formset, VersionedInlineFormSet):
            errors = formset.row_conflicts(lock=False)
            if errors:
                raise EditConflict({None: [(None, SAVE_CLASH)], **errors})
        try:
            with transaction.atomic(using=router.db_for_write(formset.model)):
                super().save_formset(request, form, formset, change)
        except IntegrityError:
            raise EditConflict(self.formset_clash_errors(formset)) from None

    def formset_clash_errors(self, formset) -> dict:
        errors: dict = {None: [(None, SAVE_CLASH)]}
        model = formset.model
        for row in formset.forms:
            cleaned = getattr(row, "cleaned_data", None) or {}
            if "position" not in cleaned or (
                formset.can_delete and formset._should_delete_form(row)
            ):
                continue
            holder = position_holder(model, formset.instance, cleaned["position"], row.instance.pk)
            if holder is not None:
                errors[row.prefix] = [("position", taken_message(cleaned["position"], holder))]
        return errors
