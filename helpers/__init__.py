"""Helpers for the CNN course: data, profiles, reproducibility, plots and exercises."""

from helpers.datasets import load_cifar10, load_fashion_mnist, load_mnist, stratified_subset
from helpers.environment import check_environment
from helpers.profiles import get_profile
from helpers.reproducibility import set_seed

__all__ = [
    "check_environment",
    "get_profile",
    "load_cifar10",
    "load_fashion_mnist",
    "load_mnist",
    "set_seed",
    "stratified_subset",
]
