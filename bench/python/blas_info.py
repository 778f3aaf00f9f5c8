"""Prints numpy's version and the BLAS it runs (threadpoolctl), for the benchmark results' header."""
import numpy as np
from threadpoolctl import threadpool_info

blas = [i for i in threadpool_info() if i.get("user_api") == "blas"]
desc = ", ".join(f"{i['internal_api']} {i['version']} ({i.get('architecture')}, {i['num_threads']} thread{'s' if i['num_threads'] != 1 else ''})" for i in blas)
print(f"numpy {np.__version__}, {desc or 'no BLAS found'}")
