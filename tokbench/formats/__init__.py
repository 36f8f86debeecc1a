"""Readers for tokenizer files: tiktoken ranks, Hugging Face tokenizer.json, tokbench bundles."""
