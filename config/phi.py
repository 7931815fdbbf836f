"""The client information guard: agreements and deadlines, never client health records.

Every free-text field and every file name a person writes passes through ``client_information_find``
(through ``GuardedSerializerMixin`` on the API, ``GuardedFormMixin`` on the pages, and
``workflow.documents.document_validate`` for uploads). It refuses text that carries a client identifier:

- a date of birth ("DOB 03/14/1980", "born on March 14, 1980");
- a Social Security number (``123-45-6789``, or a number after "SSN");
- a Medicaid or Medicare number, a medical record number, a patient or insurance member id (a number after
  its label);
- a diagnosis or treatment next to a person's name ("John Smith, Dx schizophrenia", "client Maria was
  diagnosed with bipolar disorder", ``client_john_smith_dx_schizophrenia.pdf``).

Why hand-written patterns and not a library: Presidio needs a spaCy language model (hundreds of MB,
downloaded at install) for names; scrubadub's name detection needs TextBlob/NLTK corpora downloaded at run
time and it knows no date of birth, Medicaid or medical record number; commonregex has had no release since
2014 and finds dates and phone numbers, not client identifiers. What this program must refuse is narrow and
labelled (a number after "MRN", a date after "DOB", a diagnosis next to a name), so patterns that need the
label or the name keep false positives low on the program's own words ("serious mental illness", "crisis
intervention", "co-responder", "diagnosed mental illness" in general terms pass). The corpus in
``tests/config/client_information_corpus.json`` holds both sides; docs/partnerships.md describes the guard.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError

CODE = "client_information"

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"
    r"|\d{4}-\d{1,2}-\d{1,2}"
    rf"|{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}\s+{_MONTHS},?\s+\d{{4}})"
)
_SEP = r"[\s:#.,=()\-]*"
# An identifier after its label: at least four characters, at least one a digit.
_ID = r"(?=[A-Z0-9\-]*\d)[A-Z0-9][A-Z0-9\-]{3,}"

_PATTERNS: list[tuple[str, re.Pattern]] = [
    (
        "a date of birth",
        re.compile(
            rf"\b(?:d\.?o\.?b\.?|date\s+of\s+birth|birth\s*date|birthday|born(?:\s+on)?)\b{_SEP}(?:is\s+|was\s+)?{_DATE}",
            re.I,
        ),
    ),
    ("a Social Security number", re.compile(r"(?<![\d\-])(?:\d{3}|x{3})-(?:\d{2}|x{2})-\d{4}(?![\d\-])", re.I)),
    (
        "a Social Security number",
        re.compile(
            rf"\b(?:ssn|ss\#|social\s+security(?:\s+(?:number|no\.?|\#))?)(?!\w){_SEP}(?:\d[\d\s\-]{{3,10}}\d|x{{3}}-?x{{2}}-?\d{{4}})",
            re.I,
        ),
    ),
    (
        "a Medicaid or Medicare number",
        # "Section 1115 Medicaid waiver" is program vocabulary: without a label, a number must be six long.
        re.compile(
            rf"\b(?:medicaid|medicare|medi-cal|mbi)(?:(?:\s+(?:id|number|no\.?|\#|card))+(?!\w){_SEP}{_ID}"
            rf"|{_SEP}(?=[A-Z0-9\-]*\d)[A-Z0-9][A-Z0-9\-]{{5,}})",
            re.I,
        ),
    ),
    (
        "a medical record number",
        re.compile(
            rf"\b(?:mrn|medical\s+record(?:\s+(?:number|no\.?|\#|id))?|chart\s+(?:number|no\.?|\#))(?!\w){_SEP}{_ID}",
            re.I,
        ),
    ),
    (
        "a patient or member id",
        re.compile(
            rf"\b(?:patient|client|member|insurance|policy|subscriber)\s+(?:id|number|no\.?|\#)(?!\w){_SEP}{_ID}", re.I
        ),
    ),
]

# Health information about one person: a diagnosis, a diagnosis code, a psychiatric hold, a prescription.
_HEALTH = re.compile(
    r"\b(?:dx|diagnos(?:is|ed|es)|schizo\w*|bipolar|ptsd|psychos[ie]s|psychotic|depressive\s+disorder|"
    r"borderline\s+personality|personality\s+disorder|opioid\s+use\s+disorder|substance\s+use\s+disorder|"
    r"alcohol\s+use\s+disorder|autism|dementia|hiv|hepatitis|suicid\w*|overdosed?|prescribed|"
    r"5150|baker\s+act|involuntary\s+(?:hold|commitment)|psychiatric\s+(?:hold|admission)|"
    r"icd-?10|[FZ]\d{2}\.\d{1,2})\b",
    re.I,
)

# Common U.S. first names that are not also ordinary English words (no "Will", "Grant", "Hope", "May").
_FIRST_NAMES = frozenset(
    """
    james john robert michael david richard joseph thomas charles christopher daniel matthew anthony donald
    steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan jacob gary
    nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory alexander patrick raymond
    jack dennis jerry tyler aaron jose adam nathan henry zachary douglas peter kyle noah ethan jeremy walter
    christian keith roger terry austin sean gerald carl harold dylan arthur lawrence jordan jesse bryan billy
    bruce gabriel joe logan alan juan albert willie elijah wayne randy vincent mary patricia jennifer linda
    elizabeth barbara susan jessica sarah karen lisa nancy betty sandra margaret ashley kimberly emily donna
    michelle carol amanda melissa deborah stephanie dorothy rebecca sharon laura cynthia amy kathleen angela
    shirley brenda emma anna pamela nicole samantha katherine christine debra rachel carolyn janet maria
    catherine heather diane olivia julie victoria kelly christina lauren joan evelyn judith megan andrea cheryl
    hannah jacqueline martha gloria teresa ann sara madison kathryn janice jean abigail alice judy sophia julia
    marie denise danielle marilyn isabella beverly charlotte natalie theresa diana brittany kayla alexis lori
    luis carlos miguel jorge pedro jesus ana rosa carmen luz darnell tyrone deshawn jamal latoya keisha tamika
    aisha mohammed ahmed fatima wei li nguyen
    """.split()  # noqa: SIM905 - a word list reads better as text
)
# A word that says the next capitalized word is a person: "client Maria", "Mr. Lopez".
_PERSON_CUE = re.compile(
    r"\b(?:mr|mrs|ms|miss|dr|client|patient|consumer|individual|resident|subject|juvenile|youth|inmate|"
    r"detainee|arrestee|defendant|named|name)\b\.?:?[\s_\-]+(?:named\s+)?([A-Za-z][a-z'\-]+)",
    re.I,
)
_NOT_A_NAME = frozenset(
    """
    the a an and or of for with who whose was is are has had in on at to from by that this their his her
    services service records record data information level levels outcomes outcome needs need care case cases
    population populations contacts contact engagement support supports health safety success centered privacy
    consent diagnosed diagnosis dx referrals referral crisis with was were
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
_DIAGNOSIS = "a diagnosis or treatment next to a person's name"
_NEAR = 60  # characters: a diagnosis "next to" a name is in the same short stretch of text


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str

    def __str__(self) -> str:
        return f"{self.kind} (“{self.text}”)"


def _names(text: str) -> list[tuple[int, int, str]]:
    """Where the text names a person: a known first name followed by another word, or a cue word and a name."""
    found = []
    words = list(_WORD.finditer(text))
    # In prose a name is capitalized; a file name is often all lower case.
    lower_case = text.islower() or "_" in text
    for first, second in itertools.pairwise(words):
        if (
            first.group().lower() in _FIRST_NAMES
            and second.group().lower() not in _NOT_A_NAME
            and (first.group()[0].isupper() or lower_case)
        ):
            found.append((first.start(), second.end(), f"{first.group()} {second.group()}"))
    for cue in _PERSON_CUE.finditer(text):
        name = cue.group(1)
        if name.lower() not in _NOT_A_NAME and (name[0].isupper() or name.lower() in _FIRST_NAMES):
            found.append((cue.start(), cue.end(), cue.group()))
    return found


def client_information_find(text: str) -> list[Finding]:
    """Every client identifier found in `text` (empty when it is clean)."""
    if not text or not isinstance(text, str):
        return []
    # A file name or slug separates words with "_", "-" or ".": read them as spaces for the name rules.
    spaced = re.sub(r"[_]+", " ", text)
    findings = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(spaced):
            findings.append(Finding(kind, match.group().strip()))
    names = _names(spaced)
    for health in _HEALTH.finditer(spaced):
        for start, end, name in names:
            if start - _NEAR <= health.start() <= end + _NEAR:
                findings.append(
                    Finding("a diagnosis or treatment next to a person's name", f"{name} … {health.group()}")
                )
                break
    unique = []
    for finding in findings:
        if finding not in unique:
            unique.append(finding)
    return unique


def client_information_message(findings: list[Finding]) -> str:
    listed = "; ".join(str(finding) for finding in findings[:3])
    return (
        f"This looks like client information: {listed}. This service holds agreements and deadlines, never "
        "client health records: remove names, dates of birth, record numbers and diagnoses."
    )


def client_information_refuse(text: str) -> None:
    """Raise Django's ValidationError (code ``client_information``) when `text` carries a client identifier."""
    findings = client_information_find(text)
    if findings:
        raise ValidationError(client_information_message(findings), code=CODE)


def _texts(value) -> list[str]:
    """The strings a cleaned value holds: text, a file's name, the items of a list."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _texts(item)]
    name = getattr(value, "name", None)
    if name and hasattr(value, "read"):
        return [name]
    return []


def _first_refusal(value) -> ValidationError | None:
    for text in _texts(value):
        try:
            client_information_refuse(text)
        except ValidationError as error:
            return error
    return None


# Text fields whose value is not free text (an address, an identifier, a code).
_FORM_EXEMPT = (forms.EmailField, forms.URLField, forms.SlugField, forms.UUIDField, forms.GenericIPAddressField)


def form_field_guarded(field: forms.Field) -> bool:
    """Whether the guard reads this form field: free text and file names."""
    if isinstance(field, forms.FileField):
        return True
    return isinstance(field, forms.CharField) and not isinstance(field, _FORM_EXEMPT)


class GuardedFormMixin:
    """Every page form with free text or a file: refuses client information, next to the field it is in.

    ``client_information_exempt`` names fields that hold no free text (a verification code).
    """

    client_information_exempt: tuple[str, ...] = ()

    def full_clean(self):
        super().full_clean()
        if not hasattr(self, "cleaned_data"):
            return
        for name, field in self.fields.items():
            if name in self.client_information_exempt or not form_field_guarded(field):
                continue
            if name in self.cleaned_data:
                error = _first_refusal(self.cleaned_data[name])
                if error is not None:
                    self.add_error(name, error)


def serializer_field_guarded(field) -> bool:
    """Whether the guard reads this API field: writable free text, file names, lists of text."""
    from rest_framework import serializers

    if field.read_only:
        return False
    if isinstance(field, serializers.ListField):
        return serializer_field_guarded(field.child)
    if isinstance(field, serializers.FileField):
        return True
    exempt = (
        serializers.EmailField,
        serializers.URLField,
        serializers.SlugField,
        serializers.RegexField,
        serializers.IPAddressField,
    )
    return isinstance(field, serializers.CharField) and not isinstance(field, exempt)


class GuardedSerializerMixin:
    """Every API serializer that takes free text or a file: refuses client information with a field error
    (code ``client_information``) before any service runs."""

    client_information_exempt: tuple[str, ...] = ()

    def to_internal_value(self, data):
        from rest_framework import serializers

        values = super().to_internal_value(data)
        errors = {}
        for name, field in self.fields.items():
            if name in self.client_information_exempt or not serializer_field_guarded(field):
                continue
            value = values
            for attr in field.source_attrs or [name]:
                value = value.get(attr) if isinstance(value, dict) else None
            if value is not None:
                error = _first_refusal(value)
                if error is not None:
                    errors[name] = [serializers.ErrorDetail(error.messages[0], code=CODE)]
        if errors:
            raise serializers.ValidationError(errors)
        return values
