"""The dashboard's routes (placeholder until the dashboard lands)."""

from fastapi import APIRouter

router = APIRouter()
