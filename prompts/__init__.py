"""The prompt files of evchat (Markdown, shipped as package data); see assistant.prompts."""
