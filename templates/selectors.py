from orbit.errors import not_in_workspace
from templates.models import Template


def get_usable_template(*, workspace, template_id) -> Template:
    """A public template or one of `workspace`'s, named in a request body (else a 404 naming `template_id`)."""
    template = (Template.objects.public() | Template.objects.filter(workspace=workspace)).filter(pk=template_id).first()
    if template is None:
        raise not_in_workspace("template_id", template_id)
    return template
