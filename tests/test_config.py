"""Configuration guards."""
import importlib

import pytest


def reload_config(monkeypatch, **env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    import config

    return importlib.reload(config)


def test_production_refuses_the_development_secret(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    config = reload_config(monkeypatch)
    with pytest.raises(RuntimeError):
        config.ProductionConfig.check()


def test_production_starts_with_a_real_secret(monkeypatch):
    config = reload_config(monkeypatch, SECRET_KEY="a-long-random-production-secret")
    config.ProductionConfig.check()  # no error
    from app import create_app

    app = create_app(config.ProductionConfig)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    monkeypatch.delenv("SECRET_KEY")
    importlib.reload(config)
