"""枫桥 Fengqiao: grassroots dispute resolution and public legal services."""
