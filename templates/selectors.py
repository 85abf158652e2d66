from orbit.errors import ValidationFailed
from templates.models import Template


def get_usable_template(*, workspace, template_id) -> Template:
    """A public template or one of `workspace`'s, named in a request body (else a validation error)."""
    template = (Template.objects.public() | Template.objects.filter(workspace=workspace)).filter(pk=template_id).first()
    if template is None:
        raise ValidationFailed("No such template.", details={"template_id": ["Not found."]})
    return template
