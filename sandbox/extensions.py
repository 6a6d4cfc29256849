"""The sandbox's own extension objects. It shares nothing with the storefront but the HTTP contract."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
babel = Babel()
limiter = Limiter(key_func=get_remote_address)  # only the dashboard's key login is limited: the API is a test double
