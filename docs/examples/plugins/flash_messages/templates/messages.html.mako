<ul>\
% for message in get_flashes():
<li class="${message['category']}">${message['message']}</li>\
% endfor
</ul>
