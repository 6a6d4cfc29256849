"""Every Flask extension object lives here, created unbound and bound in create_app.

Keeping them in one module avoids circular imports: models, views and the CLI all import from here,
never from the app factory.
"""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
mailer = Mail()  # not "mail": that name is the storefront.mail package
limiter = Limiter(key_func=get_remote_address)  # each limit names its own key: see storefront/limits.py
