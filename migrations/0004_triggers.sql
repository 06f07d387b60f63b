create trigger profiles_touch_updated_at
  before update on public.profiles
  for each row execute function public.touch_updated_at();

create trigger chats_touch_updated_at
  before update on public.chats
  for each row execute function public.touch_updated_at();
