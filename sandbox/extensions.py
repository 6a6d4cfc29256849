"""The sandbox's own extension objects. It shares nothing with the storefront but the HTTP contract."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import BigInteger, Integer
from sqlalchemy.orm import DeclarativeBase, registry


class Base(DeclarativeBase):
    # Timestamps are milliseconds (1.7e12): wider than PostgreSQL's INTEGER. SQLite keeps INTEGER, whose
    # primary keys count up by themselves (a BIGINT one would not).
    registry = registry(type_annotation_map={int: BigInteger().with_variant(Integer, "sqlite")})


db = SQLAlchemy(model_class=Base)
babel = Babel()
limiter = Limiter(key_func=get_remote_address)  # only the dashboard's key login is limited: the API is a test double
