from scopes.api.views.comments import CommentViewSet
from scopes.api.views.favourites import FavouriteViewSet
from scopes.api.views.projects import ProjectViewSet
from scopes.api.views.scopes import ScopeViewSet
from scopes.api.views.sections import SectionViewSet

__all__ = ["CommentViewSet", "FavouriteViewSet", "ProjectViewSet", "ScopeViewSet", "SectionViewSet"]
