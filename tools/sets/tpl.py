"""Benign requests for false-positive work (see README.md). usage: tpl.py OUT SEED COUNT"""
import json, os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Out
random.seed(int(sys.argv[2])); o = Out(sys.argv[1], "tpl"); N = int(sys.argv[3])
R = random.choice
liquid = ["{% if customer %}Hi {{ customer.first_name | default: 'there' }},{% else %}Hello,{% endif %}",
          "{% for item in order.line_items %}<tr><td>{{ item.title | escape }}</td><td>{{ item.quantity }} × {{ item.price | money }}</td></tr>{% endfor %}",
          "{{ 'Shipping' | t }}: {{ order.shipping_price | money_with_currency }}", "{% assign total = cart.total_price | minus: discount %}{{ total | money }}",
          "<a href=\"{{ shop.url }}/account/orders/{{ order.id }}\">View order #{{ order.name }}</a>", "{% render 'product-card', product: product, show_vendor: true %}",
          "{%- comment -%} Don't remove: used by the app {%- endcomment -%}", "{{ product.description | strip_html | truncatewords: 30 }}", "{% schema %}{\"name\": \"Hero\", \"settings\": [{\"type\": \"text\", \"id\": \"title\"}]}{% endschema %}",
          "<script>window.ShopifyAnalytics = {{ analytics | json }};</script>", "{{ 'theme.js' | asset_url | script_tag }}"]
hbs = ["{{#if user.isAdmin}}<span class=\"badge\">admin</span>{{/if}}", "{{#each items}}<li>{{this.name}} — {{formatPrice this.price}}</li>{{/each}}", "Hello {{firstName}}, your code is {{{code}}}",
       "{{> header title=\"Welcome\"}}", "{{#unless verified}}Please verify your e-mail.{{/unless}}", "{{lookup ../labels @index}}"]
jinja = ["{{ user.name|title }} joined {{ user.date_joined|date:\"N j, Y\" }}", "{% for row in rows %}{{ loop.index }}. {{ row.title|e }}{% endfor %}", "{% set greeting = 'Hi ' ~ name %}{{ greeting }}",
         "{{ price|round(2) }} {{ currency }}", "{% if items|length > 3 %}and {{ items|length - 3 }} more{% endif %}", "{% include 'partials/footer.html' %}", "{{ _('Reset your password') }}",
         "{{ url_for('static', filename='css/site.css') }}", "{% macro input(name, value='', type='text') %}<input type=\"{{ type }}\" name=\"{{ name }}\" value=\"{{ value|e }}\">{% endmacro %}"]
twig = ["{{ product.price|number_format(2, '.', ',') }} €", "{% extends 'base.html.twig' %}{% block body %}{{ parent() }}{% endblock %}", "{{ 'hello'|trans({'%name%': user.name}) }}", "{{ dump(user) }}", "{{ include('_row.html.twig', {row: r}) }}"]
fm = ["Hello ${user.name}!", "<#if user??>${user.email}<#else>guest</#if>", "<#list items as item>${item_index + 1}. ${item.title?html}</#list>", "${price?string.currency}", "[#ftl] ${(order.total)!0}"]
velo = ["#set($name = $user.firstName)Hi $name,", "#foreach($i in $items)$i.title #end", "#if($order.paid)Paid#else Unpaid#end", "Dear ${customer.name},"]
thy = ["<p th:text=\"${user.name}\">name</p>", "<a th:href=\"@{/orders/{id}(id=${order.id})}\">view</a>", "<li th:each=\"item : ${items}\" th:text=\"${item.title}\"></li>", "<span th:if=\"${#lists.isEmpty(items)}\">none</span>"]
erb = ["<%= @user.name %> ordered <%= pluralize(@order.items.count, 'item') %>", "<% @items.each do |item| %><li><%= item.title %></li><% end %>", "<%= link_to 'Edit', edit_post_path(@post) %>", "<%# TODO: cache this %>"]
razor = ["@Model.FirstName, your order #@Model.OrderId has shipped", "@foreach (var item in Model.Items) { <li>@item.Name</li> }", "@if (Model.IsAdmin) { <span>admin</span> }", "@Html.Raw(Model.Body)"]
mustache = ["{{name}} · {{#items}}{{title}}{{/items}}", "Hi {{ first_name | default(\"there\") }}"]
vue = ["<li v-for=\"item in items\" :key=\"item.id\">{{ item.name }}</li>", "<p>{{ $t('greeting', { name: user.name }) }}</p>", "<button @click=\"count++\">{{ count }}</button>", "<span v-html=\"post.body\"></span>"]
ang = ["<li *ngFor=\"let item of items; trackBy: trackById\">{{ item.name | uppercase }}</li>", "<p>{{ user?.profile?.name ?? 'Anonymous' }}</p>", "<input [(ngModel)]=\"query\" (keyup.enter)=\"search()\">"]
pools = [liquid, hbs, jinja, twig, fm, velo, thy, erb, razor, mustache, vue, ang]
def doc():
    pool = R(pools)
    return "\n".join(R(pool) for _ in range(random.randint(1, 5)))
for i in range(N):
    k = R(["shopify", "sendgrid", "postmark", "mailchimp", "cms", "snippet"])
    d = doc()
    if k == "shopify": o.emit(k, "PUT", "/admin/api/2024-10/themes/1/assets.json", json.dumps({"asset": {"key": R(["sections/hero.liquid", "templates/product.liquid", "snippets/card.liquid"]), "value": d}}), "application/json")
    elif k == "sendgrid": o.emit(k, "POST", "/v3/templates/d-abc/versions", json.dumps({"name": "Order shipped", "subject": "{{firstName}}, your order {{orderId}} has shipped", "html_content": "<html><body>" + d + "</body></html>", "plain_content": d, "active": 1}), "application/json")
    elif k == "postmark": o.emit(k, "POST", "/templates", json.dumps({"Name": "welcome", "Subject": "Welcome {{name}}", "HtmlBody": d, "TextBody": d, "TemplateType": "Standard"}), "application/json")
    elif k == "mailchimp": o.emit(k, "POST", "/3.0/templates", json.dumps({"name": "Newsletter", "html": "<table><tr><td>*|FNAME|*, " + d + "</td></tr></table>"}), "application/json")
    elif k == "cms": o.emit(k, "POST", "/wp-admin/admin-ajax.php", "action=save_template&template=" + __import__("urllib.parse").parse.quote(d), "application/x-www-form-urlencoded")
    else: o.emit(k, "POST", "/api/snippets", json.dumps({"title": "card partial", "language": R(["liquid", "jinja", "handlebars", "twig", "erb", "razor", "vue", "html"]), "body": d}), "application/json")
